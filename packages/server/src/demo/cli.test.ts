import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../cli.js';
import { generateDemoShop } from './generate.js';

// The `kerf` command lives in src/cli.ts; its tests sit with the demo it mostly drives.

const dir = mkdtempSync(join(tmpdir(), 'kerf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function kerf(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env, isTTY: false };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('kerf CLI', () => {
  it('prints help, and usage with exit 2 when no command is given', async () => {
    const help = await kerf(['help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('kerf demo');
    expect((await kerf([])).code).toBe(2);
  });

  it.each([
    [['demo', '--jobs', '0'], '--jobs must be a whole number from 1 to 5000'],
    [['demo', '--jobs', '12x'], '--jobs must be a whole number'],
    [['demo', '--seed', '-3'], '--seed'],
    [['demo', '--start', '2026-02-30'], '--start must be a date YYYY-MM-DD'],
    [['demo', '--jbos', '5'], "Unknown option '--jbos'"],
    [['demo', 'extra'], "Unexpected argument 'extra'"],
    [['migrate', '--force'], "Unknown option '--force'"],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('refuses %j with exit 2 and says what to fix', async (args, message) => {
    const r = await kerf(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('exits 2 on a bad configuration', async () => {
    const r = await kerf(['migrate'], { DATABASE_URL: 'mysql://localhost/kerf' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('DATABASE_URL');
  });

  it('writes the generated shop as JSON, byte-identical for the same flags', async () => {
    const file = join(dir, 'shop.json');
    const args = ['demo', '--jobs', '12', '--seed', '4', '--start', '2026-11-23', '--json', file];
    expect((await kerf(args)).code).toBe(0);
    const first = readFileSync(file, 'utf8');
    expect(JSON.parse(first)).toEqual(generateDemoShop({ seed: 4, jobs: 12, startDate: '2026-11-23' }));
    expect((await kerf(args)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(first);
    const piped = await kerf(args.slice(0, -1).concat('-'));
    expect(piped.out).toBe(first);
  });

  it('loads a demo into an empty data directory and refuses a second time', { timeout: 180_000 }, async () => {
    const env = { KERF_DATA_DIR: join(dir, 'data'), KERF_ADMIN_PASSWORD: 'demo owner secret' };
    const first = await kerf(['demo', '--jobs', '8', '--seed', '2'], env);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('8 jobs');
    expect(first.err).toContain('8/8 jobs');
    const second = await kerf(['demo', '--jobs', '8'], env);
    expect(second.code).toBe(2);
    expect(second.err).toContain('already has 8 jobs');
    expect(second.err).toContain('KERF_DATA_DIR');
    const migrate = await kerf(['migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.out).toContain('migrations up to date');
  });
});
