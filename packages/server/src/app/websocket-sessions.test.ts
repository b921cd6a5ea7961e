import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PASSWORD, testApp, type TestApp } from '../test/harness.js';

// Issue #11: a WebSocket kept its user after logout, revocation or token expiry.
describe('WebSocket sessions end with their credential', () => {
  let t: TestApp;
  let port = 0;
  beforeAll(async () => {
    t = await testApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(async () => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

  async function login(username: string, password = TEST_PASSWORD): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { token: string }).token;
  }

  /** An open, subscribed socket and a promise of its close code and reason. */
  async function socket(token: string) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws?access_token=${token}`);
    const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
    );
    const subscribed = new Promise((resolve) =>
      ws.on('message', (raw: Buffer) => {
        if ((JSON.parse(raw.toString()) as { type?: string }).type === 'subscribed') resolve(true);
      }),
    );
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ subscribe: ['schedule'] }));
    await subscribed;
    return { ws, closed };
  }

  /** Resolves with the close, or with "still open" after ms. */
  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);

  it('closes the socket when its session logs out', async () => {
    const token = await login('operator');
    const { closed } = await socket(token);
    expect((await api('POST', '/api/v1/auth/logout', token)).statusCode).toBe(204);
    const end = await within(closed, 2000);
    expect(end).toMatchObject({ code: 4401 });
    expect((end as { reason: string }).reason).toContain('log in again');
  });

  it('closes the socket when its user is disabled, and when its role changes', async () => {
    const created = await api('POST', '/api/v1/users', t.tokens.admin, {
      username: 'night-shift',
      password: 'graveyard shift lead',
      role: 'supervisor',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, version } = created.json() as { id: string; version: number };
    const roleSocket = await socket(await login('night-shift', 'graveyard shift lead'));
    expect((await api('PATCH', `/api/v1/users/${id}`, t.tokens.admin, { role: 'operator', version })).statusCode).toBe(
      200,
    );
    expect(await within(roleSocket.closed, 2000)).toMatchObject({ code: 4403 });

    const disabledSocket = await socket(await login('night-shift', 'graveyard shift lead'));
    const disable = await api('PATCH', `/api/v1/users/${id}`, t.tokens.admin, {
      isActive: false,
      version: version + 1,
    });
    expect(disable.statusCode, disable.body).toBe(200);
    expect(await within(disabledSocket.closed, 2000)).toMatchObject({ code: 4401 });
  });

  it('closes the socket when its API key is revoked', async () => {
    const key = (
      await api('POST', '/api/v1/api-keys', t.tokens.admin, { name: 'wallboard', scopes: ['schedule:view'] })
    ).json() as { id: string; key: string };
    const { closed } = await socket(key.key);
    expect((await api('DELETE', `/api/v1/api-keys/${key.id}`, t.tokens.admin)).statusCode).toBe(204);
    expect(await within(closed, 2000)).toMatchObject({ code: 4401 });
  });

  it('closes the socket when its API key expires, at the expiry', async () => {
    const expiresAt = Date.now() + 1500;
    const key = (
      await api('POST', '/api/v1/api-keys', t.tokens.admin, {
        name: 'short-lived',
        scopes: ['schedule:view'],
        expiresAt: new Date(expiresAt).toISOString(),
      })
    ).json() as { key: string };
    const { closed } = await socket(key.key);
    const end = await within(closed, 4000);
    expect(end).toMatchObject({ code: 4401 });
    expect((end as { at: number }).at).toBeGreaterThanOrEqual(expiresAt - 50);
    expect((end as { at: number }).at).toBeLessThan(expiresAt + 1000);
  });

  it('closes the socket when its session expires', async () => {
    const token = await login('supervisor');
    const expiresAt = Date.now() + 1500;
    // the session table is the truth; shorten this session as if it were near its end
    await t.database.query(
      "UPDATE sessions SET expires_at = $1 WHERE token_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex')",
      [new Date(expiresAt), token],
    );
    const { closed } = await socket(token);
    const end = await within(closed, 4000);
    expect(end).toMatchObject({ code: 4401 });
    expect((end as { at: number }).at).toBeGreaterThanOrEqual(expiresAt - 50);
  });

  it('refuses an upgrade with a bad token with 401 and hangs up, leaving no socket behind', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws?access_token=kst_${'x'.repeat(43)}`);
    const refused = await new Promise<{ status: number; hungUp: Promise<unknown> }>((resolve) =>
      ws.once('unexpected-response', (_req, res) =>
        // the client keeps its end open: only the server's hang-up closes the connection
        resolve({ status: res.statusCode ?? 0, hungUp: new Promise((r) => res.socket.once('close', r)) }),
      ),
    );
    expect(refused.status).toBe(401);
    expect(await within(refused.hungUp, 1000)).not.toBe('still open');
  });

  it('keeps other users’ sockets open', async () => {
    const { ws, closed } = await socket(t.tokens.production_manager);
    const token = await login('operator');
    await api('POST', '/api/v1/auth/logout', token);
    expect(await within(closed, 500)).toBe('still open');
    ws.close();
  });
});
