import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../cli.js';
import { openDatabase } from '../platform/db.js';
import { TEST_DB } from '../test/harness.js';
import { scratchPostgresDatabase } from '../test/scratch-database.js';
import { login } from './service.js';

// Issue #11: with the last admin demoted or disabled there was no way back in.
// `kerf admin reset` runs on the configured database: a PGlite directory, or (KERF_TEST_DB=postgres)
// a PostgreSQL database of its own, since the CLI has no per-test schema.
const dir = mkdtempSync(join(tmpdir(), 'kerf-admin-reset-'));
let env: NodeJS.ProcessEnv = {};
let dropDatabase = async () => undefined as unknown;

async function kerf(args: string[], extra: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env: { LOG_LEVEL: 'silent', ...env, ...extra },
    isTTY: false,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.KERF_DATA_DIR });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  if (TEST_DB === 'postgres') {
    const scratch = await scratchPostgresDatabase('kerf_cli');
    env = { DATABASE_URL: scratch.url };
    dropDatabase = scratch.drop;
  } else {
    env = { KERF_DATA_DIR: join(dir, 'data') };
  }
  const migrated = await kerf(['migrate'], { KERF_ADMIN_PASSWORD: 'first start secret' });
  expect(migrated.code, migrated.err).toBe(0);
}, 120_000);
afterAll(async () => {
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

describe('kerf admin reset', () => {
  it('re-enables and re-roles a locked-out admin, prints a new password that works', { timeout: 60_000 }, async () => {
    await withDb(async (d) => {
      const session = await login(d.db, 'admin', 'first start secret', 1);
      expect(session.user.role).toBe('admin');
      await d.exec("UPDATE users SET role = 'operator', is_active = false WHERE username = 'admin'");
    });
    const r = await kerf(['admin', 'reset']);
    expect(r.code, r.err).toBe(0);
    const password = /new password (\S+)/.exec(r.out)?.[1];
    expect(password, r.out).toBeTruthy();
    expect(r.out).toContain('"admin"');
    await withDb(async (d) => {
      const row = (
        await d.query<{ role: string; is_active: boolean }>(
          "SELECT role, is_active FROM users WHERE username = 'admin'",
        )
      )[0];
      expect(row).toEqual({ role: 'admin', is_active: true });
      // the old password is gone, and so are the sessions made with it
      await expect(login(d.db, 'admin', 'first start secret', 1)).rejects.toThrow(/wrong/);
      expect(await d.query('SELECT 1 FROM sessions')).toEqual([]);
      expect((await login(d.db, 'admin', password!, 1)).user.role).toBe('admin');
      const audit = await d.query<{ actor_name: string; action: string }>(
        "SELECT actor_name, action FROM audit_log WHERE entity = 'user' ORDER BY id DESC LIMIT 1",
      );
      expect(audit[0]).toEqual({ actor_name: 'kerf admin reset', action: 'update' });
    });
  });

  it('takes the password from KERF_ADMIN_PASSWORD and any case of --username', { timeout: 60_000 }, async () => {
    const r = await kerf(['admin', 'reset', '--username', 'ADMIN'], { KERF_ADMIN_PASSWORD: 'chosen by the owner' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('KERF_ADMIN_PASSWORD');
    expect(r.out).not.toContain('chosen by the owner');
    await withDb(async (d) => expect((await login(d.db, 'admin', 'chosen by the owner', 1)).user.role).toBe('admin'));
  });

  it.each([
    [['admin'], {}, 'admin: expected a subcommand'],
    [['admin', 'frob'], {}, 'unknown admin subcommand "frob"'],
    [['admin', 'reset', '--force'], {}, "Unknown option '--force'"],
    [['admin', 'reset', '--username'], {}, '--username'],
    [['admin', 'reset', '--username', 'nobody'], {}, 'no user "nobody"'],
    [['admin', 'reset'], { KERF_ADMIN_PASSWORD: '12345678' }, 'KERF_ADMIN_PASSWORD: password: must be at least 12'],
    [['admin', 'reset'], { KERF_ADMIN_PASSWORD: 'admin-admin-admin' }, 'must not contain the user name'],
  ])('refuses %j with exit 2 and says what to fix, changing nothing', { timeout: 60_000 }, async (args, extra, msg) => {
    const before = await withDb((d) => d.query('SELECT password_hash, role, is_active, version FROM users'));
    const r = await kerf(args, extra);
    expect(r.code, r.out).toBe(2);
    expect(r.err).toContain(msg);
    expect(await withDb((d) => d.query('SELECT password_hash, role, is_active, version FROM users'))).toEqual(before);
  });

  it('exits 1 when the database cannot be reached', { timeout: 60_000 }, async () => {
    const r = await kerf(['admin', 'reset'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      KERF_DATA_DIR: '',
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain('kerf:');
  });
});
