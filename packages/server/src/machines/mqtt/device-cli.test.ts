import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../cli.js';

// `kerf device ...` on an embedded database directory (the service below it is tested on both
// databases through the API in device-api.test.ts).
const dir = mkdtempSync(join(tmpdir(), 'kerf-device-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { KERF_DATA_DIR: join(dir, 'data'), KERF_ADMIN_PASSWORD: 'device cli owner', KERF_MQTT_PORT: '18830' };

async function kerf(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env, isTTY: false };
  const code = await runCli(args, io);
  return { code, out, err };
}

const passwordOf = (out: string) => /kerf: password (\S+)/.exec(out)?.[1];

describe('kerf device', () => {
  it('adds, lists, rotates and revokes a device; passwords are printed only by add and rotate', async () => {
    const add = await kerf([
      'device',
      'add',
      '--username',
      'press-gw-1',
      '--topic',
      'shopfloor/weld/',
      '--topic',
      'spBv1.0/weld/',
    ]);
    expect(add.code, add.err).toBe(0);
    const password = passwordOf(add.out)!;
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(add.out).toContain('mqtt://127.0.0.1:18830');
    const list = await kerf(['device', 'list']);
    expect(list.out).toContain('press-gw-1');
    expect(list.out).toContain('shopfloor/weld/,spBv1.0/weld/');
    expect(list.out).not.toContain(password);
    const rotate = await kerf(['device', 'rotate', 'press-gw-1']);
    expect(rotate.code).toBe(0);
    expect(passwordOf(rotate.out)).not.toBe(password);
    expect((await kerf(['device', 'revoke', 'press-gw-1'])).code).toBe(0);
    const again = await kerf(['device', 'revoke', 'press-gw-1']);
    expect(again.code).toBe(2);
    expect(again.err).toContain('press-gw-1 does not exist');
  });

  it.each([
    [['device'], 'add, list, rotate or revoke'],
    [['device', 'frob'], 'unknown subcommand "frob"'],
    [['device', 'add', '--topic', 'shopfloor/weld/'], '--username is required'],
    [['device', 'add', '--username', 'gw-2'], 'give --topic'],
    [['device', 'add', '--username', 'gw-2', '--topci', 'x'], "Unknown option '--topci'"],
    [['device', 'rotate'], 'name one device'],
    [['device', 'add', '--username', 'gw-2', '--topic', 'shopfloor/weld'], 'must end with "/"'],
    [['device', 'add', '--username', 'gw 2', '--topic', 'shopfloor/weld/'], 'username'],
    [['device', 'add', '--username', 'gw-2', '--machine', 'NOPE-01'], 'machineId: no machine NOPE-01'],
  ])('refuses %j with exit 2 and says what to fix', async (args, message) => {
    const r = await kerf(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
