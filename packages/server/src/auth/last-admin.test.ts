import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { SYSTEM_ACTOR } from './actor.js';
import { ActorCache } from './actor-cache.js';
import { CredentialChanges } from './credential-changes.js';
import { updateUser } from './service.js';

interface User {
  id: string;
  username: string;
  role: string;
  isActive: boolean;
  version: number;
}

// Issue #11: the last admin could demote or disable itself, leaving nobody to manage users.
describe('the last enabled admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => t.close());

  // read from the table: the harness admin's own token loses user:admin when it steps down
  const user = async (username: string) =>
    (
      await t.database.query<User>(
        'SELECT id, username, role, is_active AS "isActive", version FROM users WHERE username = $1',
        [username],
      )
    )[0]!;
  const patch = async (token: string, username: string, changes: Record<string, unknown>) => {
    const u = await user(username);
    return t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      headers: bearer(token),
      payload: { ...changes, version: u.version },
    });
  };

  it.each([
    ['remove its own admin role', { role: 'supervisor' }],
    ['disable itself', { isActive: false }],
  ])('cannot %s: 409 with a message, nothing changed', async (_what, changes) => {
    const before = await user('admin');
    const res = await patch(t.tokens.admin, 'admin', changes);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ error: 'last_admin' });
    expect((res.json() as { message: string }).message).toContain('last enabled admin');
    expect(await user('admin')).toEqual(before);
    // still logged in and still an admin
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.tokens.admin) });
    expect(me.json()).toMatchObject({ role: 'admin' });
  });

  it('cannot be disabled through an API key with user:admin either', async () => {
    const key = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: bearer(t.tokens.admin),
        payload: { name: 'provisioning', scopes: ['user:admin'] },
      })
    ).json() as { key: string };
    const res = await patch(key.key, 'admin', { isActive: false });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ error: 'last_admin' });
  });

  it('can step down once another admin is enabled, and that one then cannot', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.tokens.admin),
      payload: { username: 'second-admin', password: 'second in command', role: 'admin' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const second = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'second-admin', password: 'second in command' },
      })
    ).json() as { token: string };
    // a disabled admin does not count
    expect((await patch(t.tokens.admin, 'second-admin', { isActive: false })).statusCode).toBe(200);
    expect((await patch(t.tokens.admin, 'admin', { role: 'supervisor' })).statusCode).toBe(409);
    expect((await patch(t.tokens.admin, 'second-admin', { isActive: true })).statusCode).toBe(200);
    const stepDown = await patch(t.tokens.admin, 'admin', { role: 'production_manager' });
    expect(stepDown.statusCode, stepDown.body).toBe(200);
    const secondToken = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'second-admin', password: 'second in command' },
      })
    ).json() as { token: string };
    expect(second.token).toBeTruthy();
    const res = await patch(secondToken.token, 'second-admin', { role: 'operator' });
    expect(res.statusCode).toBe(409);
    // put the harness admin back for the next test
    expect((await patch(secondToken.token, 'admin', { role: 'admin' })).statusCode).toBe(200);
  });

  it('two admins demoting each other at the same time leave one admin', async () => {
    const a = await user('admin');
    const b = await user('second-admin');
    // straight to the service, so both requests are past authentication before either commits
    const credentials = new CredentialChanges(t.events, new ActorCache());
    const results = await Promise.allSettled([
      updateUser(t.database.db, credentials, SYSTEM_ACTOR, a.id, a.version, { role: 'operator' }),
      updateUser(t.database.db, credentials, SYSTEM_ACTOR, b.id, b.version, { role: 'operator' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected')!;
    expect((refused.reason as { code?: string }).code).toBe('last_admin');
    const admins = (
      await t.database.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND is_active")
    )[0]!;
    expect(admins.n).toBe(1);
  });
});
