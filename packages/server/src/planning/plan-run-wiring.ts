import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { planRunLimits } from './plan-run-queue.js';
import { PlanRunService } from './plan-run-service.js';

/** The plan-run service of a process from its configuration; `worker` from KERF_ROLES. */
export function createPlanRunService(
  parts: { db: Db; events: EventBus; config: Config },
  options: { worker: boolean; instanceId?: string },
): PlanRunService {
  return new PlanRunService({
    db: parts.db,
    events: parts.events,
    timeZone: parts.config.timeZone,
    limits: planRunLimits(parts.config),
    worker: options.worker,
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
  });
}
