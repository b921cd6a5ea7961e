import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { Config } from '../platform/config.js';
import type { Database } from '../platform/db.js';
import { claimPeriod, scheduleDaily, type DailyTimer } from '../platform/periodic.js';
import type { PlanRunService } from './plan-run-service.js';

/**
 * The nightly plan run (the batch half of planning: nightly re-plan, live repair by day): at KERF_NIGHTLY_AT (shop time) one Kerf
 * instance, whichever claims the night first, re-plans all open work into a draft for the
 * morning's review. Returns the run id, or null when another instance has this period.
 */
export async function runNightlyPlan(
  database: Database,
  planRuns: PlanRunService,
  config: Config,
  period: string,
): Promise<string | null> {
  if (!(await claimPeriod(database, 'nightly-plan', period))) return null;
  const run = await planRuns.start(
    { ...SYSTEM_ACTOR, name: 'nightly' },
    {
      objective: 'lexicographic',
      timeLimitSeconds: config.nightlySeconds,
      horizonDays: 28,
      frozenMinutes: config.frozenWindowMinutes,
      trigger: 'nightly',
    },
  );
  return run.id;
}

export function scheduleNightlyPlan(
  database: Database,
  planRuns: PlanRunService,
  config: Config,
  log: (msg: string) => void,
): DailyTimer | undefined {
  if (config.nightlyAt === 'off') return undefined;
  return scheduleDaily(
    config.nightlyAt,
    config.timeZone,
    async (period) => {
      const id = await runNightlyPlan(database, planRuns, config, period);
      log(
        id ? `nightly plan run ${id} started for ${period}` : `nightly plan for ${period} is run by another instance`,
      );
    },
    (err) => log(`nightly plan run failed to start: ${err instanceof Error ? err.message : String(err)}`),
  );
}
