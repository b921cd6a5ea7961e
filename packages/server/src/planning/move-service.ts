import { and, eq } from 'drizzle-orm';
import type { CalendarIndex } from '@kerf/solver';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound, staleVersion } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { calendarRows, openSlotsAfter, routingOf } from './move-queries.js';
import { ripple, type RippleSlot } from './ripple.js';
import { CalendarService } from '../shop/calendar-service.js';
import { getSlot } from './slot-service.js';
import { announceRush } from './rush-notice.js';
import { scheduleSlots } from './tables.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface MoveRequest {
  workCenterId?: string;
  plannedStart: string;
  dryRun?: boolean;
}

/**
 * Moves (or re-sequences) a slot where the planner dropped it, after checking the work center's
 * type and working time, and re-times what follows on that center and in the job. Answers the
 * consequences (every re-timed slot, jobs that become late); with dryRun nothing is written,
 * which is how the planner previews a drag. Refused (409) when it would push running work or
 * start a step before its predecessor ends.
 */
export async function moveSlotWithConsequences(
  db: Db,
  events: EventBus,
  actor: Actor,
  id: string,
  version: number,
  req: MoveRequest,
  timeZone: string,
) {
  // Read before the transaction: on PGlite the transaction holds the only connection.
  const shop = await new CalendarService(db, timeZone).calendar();
  const result = await db.transaction(async (tx) => {
    const before = (await tx.select().from(scheduleSlots).where(eq(scheduleSlots.id, id)).limit(1))[0];
    if (!before) throw notFound('schedule slot', id);
    if (before.version !== version) throw staleVersion('schedule slot', id, version);
    if (['in_progress', 'complete', 'cancelled'].includes(before.status)) {
      throw new AppError('conflict', 'slot_not_movable', `schedule slot ${id} is ${before.status} and cannot be moved`);
    }
    const targetStart = Date.parse(req.plannedStart);
    const targetWc = req.workCenterId ?? before.workCenterId;
    const t0 = Math.min(targetStart, before.plannedStart.getTime()) - DAY;
    const open = await openSlotsAfter(tx, t0);
    const wcIds = [...new Set([...open.map((s) => s.workCenterId), targetWc])];
    const { centers } = await calendarRows(tx, wcIds);
    const center = centers.find((c) => c.id === targetWc);
    if (!center) throw invalid('workCenterId', `work center ${targetWc} does not exist`, 'unknown_reference');
    const routing = (await routingOf(tx, before.routingId))!;
    if (center.machineType !== routing.workCenterType) {
      throw invalid(
        'workCenterId',
        `work center ${targetWc} is a ${center.machineType}; this step needs a ${routing.workCenterType}`,
        'wrong_work_center_type',
      );
    }

    const toMin = (ms: number) => Math.round((ms - t0) / MINUTE);
    const toDate = (min: number) => new Date(t0 + min * MINUTE);
    const horizon = Math.max(targetStart, ...open.map((s) => s.plannedEnd.getTime())) + 60 * DAY;
    const calendarOf = (wc: string): CalendarIndex => shop.calendarIndex(wc, t0, horizon);
    const start = toMin(targetStart);
    if (!calendarOf(targetWc).isWorking(start)) {
      const next = calendarOf(targetWc).nextWorking(start);
      throw invalid(
        'plannedStart',
        `${targetWc} is not working then${Number.isFinite(next) ? `; its next shift starts ${toDate(next).toISOString()}` : ''}`,
        'outside_working_time',
      );
    }

    const info = new Map(open.map((s) => [s.id, s]));
    const slots: RippleSlot[] = open.map((s) => {
      const a = toMin(s.plannedStart.getTime());
      const b = toMin(s.plannedEnd.getTime());
      const work = calendarOf(s.workCenterId).workBetween(a, b);
      return {
        id: s.id,
        routingId: s.routingId,
        jobId: s.jobId,
        workCenterId: s.workCenterId,
        start: a,
        end: b,
        work: work >= 1 ? work : Math.max(1, b - a),
        movable: s.status !== 'in_progress',
        dependsOn: s.dependencies,
      };
    });
    const moved = slots.find((s) => s.id === id)!;
    if (targetWc !== before.workCenterId) {
      // Another center runs the step at its own efficiency.
      moved.work = Math.max(
        1,
        Math.ceil((routing.runMinutesPerUnit * routing.quantity) / center.efficiencyFactor + routing.setupMinutes),
      );
    }
    const label = (s: RippleSlot) => `${info.get(s.id)!.jobNumber} ${info.get(s.id)!.operationCode}`;
    const outcome = ripple(slots, id, { start, workCenterId: targetWc }, calendarOf, label);
    if (!outcome.ok)
      throw new AppError('conflict', 'move_refused', outcome.message, 'plannedStart', { slotId: outcome.slotId });

    const retimed = outcome.retimed.map((r) => {
      const s = info.get(r.id)!;
      return {
        slotId: r.id,
        jobNumber: s.jobNumber,
        operationCode: s.operationCode,
        reason: r.reason,
        from: { workCenterId: r.from.workCenterId, plannedStart: toDate(r.from.start), plannedEnd: toDate(r.from.end) },
        to: { workCenterId: r.to.workCenterId, plannedStart: toDate(r.to.start), plannedEnd: toDate(r.to.end) },
      };
    });
    const lateJobs = lateness(open, retimed);
    if (!req.dryRun) {
      for (const r of retimed) {
        const s = info.get(r.slotId)!;
        await tx
          .update(scheduleSlots)
          .set({
            workCenterId: r.to.workCenterId,
            plannedStart: r.to.plannedStart,
            plannedEnd: r.to.plannedEnd,
            version: s.version + 1,
            updatedAt: new Date(),
          })
          .where(and(eq(scheduleSlots.id, r.slotId), eq(scheduleSlots.version, s.version)));
      }
      await recordAudit(tx, actor, 'move', 'schedule_slot', id, before, {
        ...retimed[0]?.to,
        consequences: retimed.length - 1,
      });
      await events.record(tx, { type: 'slot.changed', slotId: id, action: 'move' });
      // moved onto another center: that center's people hear of rush work arriving
      if (targetWc !== before.workCenterId) await announceRush(tx, events, before.routingId, targetWc);
    }
    return { slot: await getSlot(tx, id), committed: !req.dryRun, consequences: { retimed, lateJobs } };
  });
  return result;
}

type OpenRow = Awaited<ReturnType<typeof openSlotsAfter>>[number];

/** Jobs whose last open slot ends after their due date once the change is applied. */
function lateness(open: OpenRow[], retimed: Array<{ slotId: string; to: { plannedEnd: Date } }>) {
  const newEnd = new Map(retimed.map((r) => [r.slotId, r.to.plannedEnd.getTime()]));
  const jobs = new Map<string, { jobNumber: string; due: number; before: number; after: number }>();
  for (const s of open) {
    const j = jobs.get(s.jobId) ?? { jobNumber: s.jobNumber, due: s.dueDate.getTime(), before: 0, after: 0 };
    j.before = Math.max(j.before, s.plannedEnd.getTime());
    j.after = Math.max(j.after, newEnd.get(s.id) ?? s.plannedEnd.getTime());
    jobs.set(s.jobId, j);
  }
  return [...jobs.values()]
    .filter((j) => j.after !== j.before && j.after > j.due)
    .map((j) => ({
      jobNumber: j.jobNumber,
      dueDate: new Date(j.due),
      plannedEnd: new Date(j.after),
      wasLate: j.before > j.due,
      lateByMinutes: Math.round((j.after - j.due) / MINUTE),
    }));
}
