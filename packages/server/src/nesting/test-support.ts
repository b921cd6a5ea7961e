import { sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { loadDemoShopIfEmpty } from '../demo/load-demo.js';
import { listJobs, updateJob } from '../jobs/job-service.js';
import type { Db } from '../platform/db.js';
import { loadNestingConfig, type NestingConfig } from './config.js';
import { rowsOf } from './sql-rows.js';

/** Test-only helpers shared by the nesting test files. */

export const RELEASER: Actor = {
  type: 'system',
  id: 'nesting-test',
  name: 'nesting test',
  permissions: new Set(['job:release', 'job:create', 'machine:config']),
};

export const testNestingConfig = (over: Partial<NestingConfig> = {}): NestingConfig => ({
  ...loadNestingConfig({}),
  mode: 'simtrans',
  backoffSeconds: 0,
  maxAttempts: 3,
  ...over,
});

/** Loads the demo shop with `jobs` jobs and releases every one of them (one outbox row each). */
export async function releaseDemoJobs(db: Db, jobs: number): Promise<string[]> {
  await loadDemoShopIfEmpty(db, { seed: 11, jobs, startDate: '2026-11-23' }, () => undefined, { timeZone: 'UTC' });
  const page = await listJobs(db, { limit: 500 });
  for (const job of page.items) {
    // Released demo jobs were queued by the loader; the others are released now.
    if (job.status !== 'released') await updateJob(db, RELEASER, job.id, job.version, { status: 'released' });
  }
  return page.items.map((j) => j.id);
}

export async function count(db: Db, table: string, where = 'true'): Promise<number> {
  return (await rowsOf<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)))[0]!.n;
}
