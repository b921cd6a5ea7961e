import { materialDemand, materialStock, type MaterialDemandRow } from '../jobs/queries.js';
import { openSlotOverlaps, readScheduleSlots } from '../planning/schedule-reads.js';
import type { Db } from '../platform/db.js';
import { allWorkCenters } from '../shop/queries.js';

/** The schedule's and the jobs' reads the conflict rules need, each from the module that owns it. */
export { materialDemand, materialStock, type MaterialDemandRow };

/** Every pair of open slots on one work center whose [start, end) intervals intersect, each pair once. */
export async function overlappingSlotPairs(db: Db): Promise<Array<{ firstId: string; secondId: string }>> {
  return openSlotOverlaps(db);
}

/** Open slots on a work center whose machine type differs from the type the routing step needs. */
export async function wrongTypeSlots(
  db: Db,
): Promise<Array<{ slotId: string; machineType: string; neededType: string }>> {
  const [slots, centers] = await Promise.all([readScheduleSlots(db, { statusClass: 'open' }), allWorkCenters(db)]);
  const typeOf = new Map(centers.map((c) => [c.id, c.machineType]));
  return slots.flatMap((s) => {
    const machineType = typeOf.get(s.workCenterId);
    return machineType !== undefined && machineType !== s.workCenterType
      ? [{ slotId: s.id, machineType, neededType: s.workCenterType }]
      : [];
  });
}
