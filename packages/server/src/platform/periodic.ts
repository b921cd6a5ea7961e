import type { Database } from './db.js';
import { localDate, localToUtc } from './time-zone.js';

export { INSTANCE_ID } from './instance.js';
import { INSTANCE_ID } from './instance.js';

/** Next UTC instant after `afterMs` at which the local wall clock shows hh:mm. */
export function nextDailyRun(at: string, timeZone: string, afterMs: number): number {
  const [h, m] = at.split(':').map(Number) as [number, number];
  const today = localDate(afterMs, timeZone);
  for (let add = 0; add < 3; add++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + add));
    const t = localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h * 60 + m, timeZone);
    if (t > afterMs) return t;
  }
  throw new Error(`cannot find the next ${at} in ${timeZone}`);
}

// Arbitrary constant shared by every Kerf instance for claiming periodic work.
const PERIODIC_LOCK = 4242_0002;

/**
 * Claims one period of a periodic job for this instance. A transaction-scoped advisory lock
 * serialises instances that wake together; the claim row stops any other instance (or a restart)
 * from running the same period again. Returns true for exactly one caller per (job, period).
 */
export async function claimPeriod(
  database: Database,
  job: string,
  period: string,
  instance = INSTANCE_ID,
): Promise<boolean> {
  const safe = (s: string) => s.replace(/'/g, "''");
  const rows = await database.query<{ claimed: boolean }>(
    `WITH lock AS (SELECT pg_advisory_xact_lock(${PERIODIC_LOCK}))
     INSERT INTO periodic_claims (job, period, claimed_by)
     SELECT '${safe(job)}', '${safe(period)}', '${safe(instance)}' FROM lock
     ON CONFLICT (job, period) DO NOTHING
     RETURNING true AS claimed`,
  );
  return rows.length === 1;
}

export interface DailyTimer {
  stop: () => void;
}

/** Runs `task(period)` every day at `at` (shop-local hh:mm); timers never keep the process alive. */
export function scheduleDaily(
  at: string,
  timeZone: string,
  task: (period: string) => Promise<void>,
  onError: (err: unknown) => void,
): DailyTimer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const next = nextDailyRun(at, timeZone, Date.now());
    timer = setTimeout(
      () => {
        const d = localDate(next, timeZone);
        const period = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
        task(period).catch(onError).finally(arm);
      },
      Math.min(next - Date.now(), 2 ** 31 - 1),
    );
    timer.unref();
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
