import type { EventBus } from '../platform/events.js';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { INSTANCE_ID } from '../platform/periodic.js';
import type { NestingConfig } from './config.js';
import { pollFeedback, type FeedbackSource } from './inbound-sync.js';
import { drainOutbox, type OutboundHooks, type OutboundTarget } from './outbound-sync.js';
import { isConnectionError } from './simtrans-db.js';
import { rowsOf } from './sql-rows.js';

export interface SyncCycleResult {
  sent: number;
  failed: number;
  dead: number;
  packetsApplied: number;
  packetsRejected: number;
  /** set when SimTrans / the folder could not be reached (nothing was lost; retried later) */
  error: string | null;
}

export interface NestingSync {
  runOnce(): Promise<SyncCycleResult>;
  start(): void;
  stop(): Promise<void>;
}

const LEASE_SECONDS = 300;

/** One instance at a time runs a cycle: a lease row, renewed per cycle, expires if its holder dies. */
async function takeLease(db: Db, owner: string): Promise<boolean> {
  const rows = await rowsOf<{ direction: string }>(
    db,
    sql`UPDATE nesting_sync_state SET lease_owner = ${owner}, lease_until = now() + ${`${LEASE_SECONDS} seconds`}::interval
        WHERE direction = 'outbound' AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ${owner})
        RETURNING direction`,
  );
  return rows.length === 1;
}

async function releaseLease(db: Db, owner: string): Promise<void> {
  await db.execute(
    sql`UPDATE nesting_sync_state SET lease_owner = NULL, lease_until = NULL WHERE direction = 'outbound' AND lease_owner = ${owner}`,
  );
}

/**
 * The sync worker: every poll interval it drains the outbox and then polls feedback. While the
 * link is down it backs off (poll × 2^failures, at most an hour) and records when it retries.
 */
export function createNestingSync(
  db: Db,
  config: NestingConfig,
  target: OutboundTarget,
  source: FeedbackSource,
  options: { hooks?: OutboundHooks; owner?: string; onError?: (err: unknown) => void; events?: EventBus } = {},
): NestingSync {
  const owner = options.owner ?? INSTANCE_ID;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let running: Promise<SyncCycleResult> | undefined;

  async function cycle(): Promise<SyncCycleResult> {
    const result: SyncCycleResult = { sent: 0, failed: 0, dead: 0, packetsApplied: 0, packetsRejected: 0, error: null };
    if (!(await takeLease(db, owner))) return { ...result, error: 'another Kerf instance is running the sync' };
    try {
      await drainOutbox(db, target, config, options.hooks, result);
      const inb = await pollFeedback(db, source, 100, options.events);
      result.packetsApplied = inb.applied;
      result.packetsRejected = inb.rejected;
      failures = 0;
      await db.execute(sql`UPDATE nesting_sync_state SET next_attempt_at = NULL`);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      failures++;
      result.error = err instanceof Error ? err.message : String(err);
      await db.execute(
        sql`UPDATE nesting_sync_state SET next_attempt_at = now() + ${`${delaySeconds()} seconds`}::interval`,
      );
    } finally {
      await releaseLease(db, owner);
    }
    return result;
  }

  const delaySeconds = () => Math.min(config.pollSeconds * 2 ** failures, 3600);

  const runOnce = async () => {
    // A manual run waits for a scheduled one instead of overlapping it.
    while (running) await running.catch(() => undefined);
    running = cycle();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  const arm = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => options.onError?.(err))
        .finally(arm);
    }, delaySeconds() * 1000);
    timer.unref();
  };

  return {
    runOnce,
    start: () => {
      if (!stopped) return;
      stopped = false;
      arm();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
