import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../platform/events.js';
import { TEST_DB } from '../test/harness.js';
import { loginOver, startKerfProcess, type KerfProcess } from '../test/kerf-process.js';
import { scratchPostgresDatabase } from '../test/scratch-database.js';

/**
 * Issue #12: a command's event is committed with the change; a process killed (SIGKILL) after the
 * commit and before anything published it must not lose it, and its delivery must not repeat.
 * Instance A (KERF_ROLES=api: it does not drain the outbox) logs a session out, which records
 * `auth.credentials-changed`, and is killed. Instance B (all roles) drains it and publishes it on
 * Redis, where this test listens as a third instance would. Instance C, started after B, must not
 * publish it again.
 */
const PASSWORD = 'kerf-outbox-secret';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe.runIf(TEST_DB === 'postgres')('event outbox across a kill -9', () => {
  it('delivers an event committed by a killed process once, after restart, and never again', async () => {
    const scratch = await scratchPostgresDatabase('kerf_outbox');
    cleanups.push(scratch.drop);
    const sql = async <T>(text: string): Promise<T[]> => {
      const c = new pg.Client({ connectionString: scratch.url });
      await c.connect();
      try {
        return (await c.query(text)).rows as T[];
      } finally {
        await c.end();
      }
    };
    const env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      KERF_ADMIN_PASSWORD: PASSWORD,
    };
    const start = async (extra: Record<string, string> = {}): Promise<KerfProcess> => {
      const p = await startKerfProcess({ ...env, ...extra });
      cleanups.push(p.kill);
      return p;
    };

    const a = await start({ KERF_ROLES: 'api' });
    const token = await loginOver(a.api, 'admin', PASSWORD);
    const logout = await fetch(`${a.api}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logout.status).toBe(204);
    const [row] = await sql<{ id: string; published_at: Date | null }>(
      `SELECT id::text AS id, published_at FROM domain_events WHERE type = 'auth.credentials-changed'`,
    );
    expect(row, 'the logout committed its event with the session change').toBeDefined();
    expect(row!.published_at).toBeNull();
    await a.kill();

    const seen: EventEnvelope[] = [];
    const listener = new Redis('redis://127.0.0.1:6379');
    cleanups.push(async () => listener.disconnect());
    await listener.subscribe('kerf:events');
    listener.on('message', (_c: string, raw: string) => {
      const e = JSON.parse(raw) as EventEnvelope;
      if (e.id === row!.id) seen.push(e);
    });

    const b = await start();
    const until = Date.now() + 15_000;
    while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(seen.map((e) => e.event)).toEqual([{ type: 'auth.credentials-changed', reason: 'logout' }]);
    const [after] = await sql<{ published_at: Date | null }>(
      `SELECT published_at FROM domain_events WHERE id = ${row!.id}`,
    );
    expect(after!.published_at).not.toBeNull();

    await b.kill();
    const c = await start();
    // C polls the outbox at start and every second: give it a few looks.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(seen).toHaveLength(1);
    await c.kill();
  }, 120_000);
});
