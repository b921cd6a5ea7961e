import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../auth/service.js';
import { TEST_PASSWORD, testDatabase } from '../test/harness.js';
import { loadConfig } from '../platform/config.js';
import { EventBus } from '../platform/events.js';
import { buildApp } from './build-app.js';
import type { FastifyInstance } from 'fastify';

// Issue #11: the WebSocket's ?access_token= landed in the request log.
describe('the request log', () => {
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  let port = 0;
  const lines: string[] = [];
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.drop;
    await ensureAdmin(database.db, TEST_PASSWORD);
    ({ app } = await buildApp(
      { database, events: new EventBus(), config: { ...loadConfig({}), logLevel: 'info' } },
      { logger: true, logDestination: { write: (line: string) => void lines.push(line) } },
    ));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  async function open(url: string): Promise<number | 'open'> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${url}`);
    return new Promise((resolve) => {
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (req, res) => {
        // with this listener, ws leaves the refused request for us to end
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.once('error', () => resolve(0));
    });
  }

  it('shows access_token=[redacted], never the token, for good and bad WebSocket tokens', async () => {
    const token = (
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'admin', password: TEST_PASSWORD },
        })
      ).json() as { token: string }
    ).token;
    const bogus = `kst_${'Q'.repeat(43)}`;
    expect(await open(`/api/v1/ws?access_token=${token}`)).toBe('open');
    expect(await open(`/api/v1/ws?foo=1&access_token=${encodeURIComponent(bogus)}`)).toBe(401);
    const other = await fetch(
      `http://127.0.0.1:${port}/api/v1/nope?access_token=${token}&api_key=kak_secret-value-123&token=abc`,
    );
    expect(other.status).toBe(404);
    // the answer names the path it did not find, never the query string with the token
    const answer = await other.text();
    expect(answer).toContain('/api/v1/nope');
    expect(answer).not.toContain(token);
    expect(answer).not.toContain('secret-value-123');
    await new Promise((r) => setTimeout(r, 200));
    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('access_token=[redacted]');
    expect(log).toContain('api_key=[redacted]');
    expect(log).toContain('token=[redacted]');
    expect(log).toContain('foo=1');
    for (const secret of [token, token.slice(4, 24), bogus.slice(4), 'secret-value-123'])
      expect(log, secret).not.toContain(secret);
  });
});
