import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DB } from '../test/harness.js';
import { loginOver, startKerfProcess, type KerfProcess } from '../test/kerf-process.js';
import { scratchPostgresDatabase } from '../test/scratch-database.js';

/**
 * Issue #12, plan runs across real processes on one PostgreSQL database: a run started over HTTP
 * on instance A (all roles) is cancelled over HTTP on instance B (KERF_ROLES=api) and ends
 * cancelled; a run whose process is killed (SIGKILL) mid-search is recovered as failed by the
 * next worker process that starts.
 */
const PASSWORD = 'kerf-plan-run-secret';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

interface Run {
  id: string;
  status: string;
  error: string | null;
}

describe.runIf(TEST_DB === 'postgres')('plan runs across Kerf processes', () => {
  it('cancels on B a run solving on A; recovers a run whose process was killed', async () => {
    const scratch = await scratchPostgresDatabase('kerf_plan_runs');
    cleanups.push(scratch.drop);
    const start = async (extra: Record<string, string>): Promise<KerfProcess> => {
      const p = await startKerfProcess({ DATABASE_URL: scratch.url, KERF_ADMIN_PASSWORD: PASSWORD, ...extra }, 120_000);
      cleanups.push(p.kill);
      return p;
    };
    // A loads the demo shop, so a search has work to chew on for a while.
    const a = await start({ KERF_DEMO: '1', KERF_NESTING_MODE: 'off', KERF_NIGHTLY_AT: 'off' });
    const b = await start({ KERF_ROLES: 'api' });
    const tokenA = await loginOver(a.api, 'admin', PASSWORD);
    const tokenB = await loginOver(b.api, 'admin', PASSWORD);
    const call = async (api: string, token: string, method: string, path: string, body?: object) => {
      const res = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Run };
    };
    const until = async (api: string, token: string, id: string, done: (r: Run) => boolean, ms: number) => {
      const end = Date.now() + ms;
      let run = (await call(api, token, 'GET', `/plan-runs/${id}`)).body;
      while (!done(run) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 200));
        run = (await call(api, token, 'GET', `/plan-runs/${id}`)).body;
      }
      return run;
    };

    const started = await call(a.api, tokenA, 'POST', '/plan-runs', { timeLimitSeconds: 120 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.status).toBe('running');
    await new Promise((r) => setTimeout(r, 1500));
    const cancel = await call(b.api, tokenB, 'POST', `/plan-runs/${started.body.id}/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
    expect(cancel.body.status).toBe('cancelling');
    const cancelled = await until(b.api, tokenB, started.body.id, (r) => r.status !== 'running', 20_000);
    expect(cancelled.status).toBe('cancelled');

    const doomed = await call(a.api, tokenA, 'POST', '/plan-runs', { timeLimitSeconds: 120 });
    expect(doomed.body.status).toBe('running');
    await new Promise((r) => setTimeout(r, 1500));
    await a.kill();
    // B has no worker role: the run stays running until a worker process looks.
    await new Promise((r) => setTimeout(r, 7_000));
    expect((await call(b.api, tokenB, 'GET', `/plan-runs/${doomed.body.id}`)).body.status).toBe('running');
    const c = await start({ KERF_NESTING_MODE: 'off', KERF_NIGHTLY_AT: 'off' });
    const tokenC = await loginOver(c.api, 'admin', PASSWORD);
    const recovered = await until(c.api, tokenC, doomed.body.id, (r) => r.status !== 'running', 10_000);
    expect(recovered.status).toBe('failed');
    expect(recovered.error).toMatch(new RegExp(`^the Kerf instance running it \\(.*:${a.child.pid}\\) stopped`));
  }, 240_000);
});
