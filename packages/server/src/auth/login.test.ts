import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app/build-app.js';
import { EventBus } from '../platform/events.js';
import { loadConfig } from '../platform/config.js';
import { testDatabase } from '../test/harness.js';
import { ensureAdmin } from './service.js';
import type { FastifyInstance } from 'fastify';

describe('login', () => {
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  let generated: string | undefined;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.drop;
    generated = (await ensureAdmin(database.db, undefined)).password;
    ({ app } = await buildApp({ database, events: new EventBus(), config: { ...loadConfig({}), loginRateLimit: 4 } }));
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  const login = (password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password } });

  it('creates admin once with a random password that works, and hashes it with scrypt', async () => {
    expect(generated).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const ok = await login(generated!);
    expect(ok.statusCode).toBe(200);
    const { token, user } = ok.json() as { token: string; user: { role: string } };
    expect(user.role).toBe('admin');
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ name: 'admin', role: 'admin' });
    const users = await app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(JSON.stringify(users.json())).not.toMatch(/scrypt|passwordHash/);
    const logout = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logout.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses a wrong password with 401 and rate-limits attempts with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login('wrong-password')).statusCode);
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    expect(statuses).toContain(429);
    const limited = await login(generated!);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
  });
});
