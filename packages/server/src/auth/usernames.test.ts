import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../platform/migrate.js';
import { bearer, TEST_PASSWORD, testApp, testDatabase, type TestApp } from '../test/harness.js';

// Issue #11: "ADMIN" could exist beside "admin".
describe('user names ignore case', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => t.close());

  const create = (username: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.tokens.admin),
      payload: { username, password: 'laser cutter nine', role: 'admin' },
    });

  it.each(['ADMIN', 'Admin', 'Operator'])(
    'refuses %j beside an existing user with 409 naming username',
    async (name) => {
      const res = await create(name);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ error: 'duplicate', field: 'username' });
      expect((res.json() as { message: string }).message).toContain('ignoring case');
    },
  );

  it('lets a user log in whatever the case they type, under the stored spelling', async () => {
    expect((await create('Pat.Welder')).statusCode).toBe(201);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'pat.welder', password: 'laser cutter nine' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ user: { username: 'Pat.Welder' } });
    const admin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ADMIN', password: TEST_PASSWORD },
    });
    expect(admin.json()).toMatchObject({ user: { username: 'admin', role: 'admin' } });
  });

  it('the database itself refuses a twin that differs only in case', async () => {
    await expect(
      t.database.exec(
        "INSERT INTO users (username, role, password_hash) VALUES ('SUPERVISOR', 'admin', 'scrypt$x$x$x$x$x')",
      ),
    ).rejects.toThrow(/duplicate|unique/i);
  });
});

describe('migration 0013 on a database that already has twins', () => {
  it('keeps the oldest name, renames, disables and logs out the younger twin, and audits it', async () => {
    const database = await testDatabase();
    try {
      // back to before 0013, then create the twins it has to deal with
      await database.exec(`
        DROP INDEX idx_users_username_lower;
        DELETE FROM kerf_migrations WHERE id LIKE '0013_%';
        INSERT INTO users (id, username, role, password_hash, created_at)
          VALUES ('00000000-0000-4000-8000-000000000001', 'admin', 'admin', 'h', now() - interval '2 days'),
                 ('00000000-0000-4000-8000-000000000002', 'ADMIN', 'admin', 'h', now() - interval '1 day'),
                 ('00000000-0000-4000-8000-000000000003', 'Admin', 'operator', 'h', now());
        INSERT INTO sessions (token_hash, user_id, expires_at)
          VALUES (repeat('a', 64), '00000000-0000-4000-8000-000000000002', now() + interval '1 hour');`);
      const applied = await migrate(database);
      expect(applied.some((id) => id.startsWith('0013_'))).toBe(true);
      const rows = await database.query<{ id: string; username: string; is_active: boolean }>(
        'SELECT id, username, is_active FROM users ORDER BY id',
      );
      expect(rows).toEqual([
        { id: '00000000-0000-4000-8000-000000000001', username: 'admin', is_active: true },
        { id: '00000000-0000-4000-8000-000000000002', username: 'ADMIN.dup-2', is_active: false },
        { id: '00000000-0000-4000-8000-000000000003', username: 'Admin.dup-3', is_active: false },
      ]);
      expect(await database.query('SELECT * FROM sessions')).toEqual([]);
      const audit = await database.query<{ entity_id: string; actor_name: string }>(
        "SELECT entity_id, actor_name FROM audit_log WHERE entity = 'user' ORDER BY entity_id",
      );
      expect(audit.map((a) => a.entity_id)).toEqual([
        '00000000-0000-4000-8000-000000000002',
        '00000000-0000-4000-8000-000000000003',
      ]);
      expect(audit[0]!.actor_name).toContain('0013');
    } finally {
      await database.drop();
    }
  });
});
