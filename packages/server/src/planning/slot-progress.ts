import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { CalendarIndex } from '@kerf/solver';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { CalendarService } from '../shop/calendar-service.js';
import { ripple, type RippleSlot } from './ripple.js';
import { readScheduleSlots, SLOT_STATUS_CLASSES } from './schedule-reads.js';
import { scheduleSlots } from './tables.js';

export type SlotProgress = { kind: 'started'; at: Date } | { kind: 'finished'; at: Date; startedAt: Date };

export interface SlotProgressOptions {
  /** the shop's time zone: shift times are wall-clock times there */
  timeZone: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * What the floor reported, written onto the operation's schedule slot in the caller's
 * transaction: started -> in_progress with its actual start; finished -> complete with its
 * actual start and end. The planned times stay, so the planner shows actual against plan; what
 * follows is re-timed from the actual times (retimeAfterActual). Answers the slot changed, or
 * null when the step has no open slot (unscheduled work, or a slot cancelled since: the floor
 * still records the work).
 */
export async function recordSlotProgress(
  tx: Db,
  events: EventBus,
  actor: Actor,
  routingId: string,
  p: SlotProgress,
  options: SlotProgressOptions,
) {
  const slot = (
    await tx
      .select()
      .from(scheduleSlots)
      .where(and(eq(scheduleSlots.routingId, routingId), inArray(scheduleSlots.status, [...SLOT_STATUS_CLASSES.open])))
      .orderBy(asc(scheduleSlots.plannedStart))
      .limit(1)
      .for('update')
  )[0];
  if (!slot) return null;
  const set =
    p.kind === 'started'
      ? { status: 'in_progress', actualStart: slot.actualStart ?? p.at }
      : { status: 'complete', actualStart: slot.actualStart ?? p.startedAt, actualEnd: p.at };
  const after = (
    await tx
      .update(scheduleSlots)
      .set({ ...set, version: sql`${scheduleSlots.version} + 1`, updatedAt: new Date() })
      .where(eq(scheduleSlots.id, slot.id))
      .returning()
  )[0]!;
  await recordAudit(tx, actor, 'update', 'schedule_slot', slot.id, slot, after);
  await events.record(tx, {
    type: 'slot.changed',
    slotId: slot.id,
    action: p.kind === 'started' ? 'start' : 'complete',
  });
  await retimeAfterActual(tx, events, actor, after, options.timeZone);
  return after;
}

type SlotRow = typeof scheduleSlots.$inferSelect;

/**
 * Re-times what follows a slot the floor started or finished, with the manual move's ripple:
 * the slot is placed at its actual start until its actual end (finished) or its expected end
 * (running: the actual start plus the working minutes it was planned to take, on its center's
 * calendar), and later steps of the job and later work on the same center that would now begin
 * before it are pushed to the next working time after it. Work only moves later: an early finish
 * leaves the rest where it is (the next plan run may pull it in). Each re-timed slot is audited
 * as the sender of the transaction and announced as slot.changed, which re-checks conflicts and
 * late jobs. Answers the number of slots re-timed; a ripple that cannot settle (a calendar
 * without working time left) re-times nothing: the conflict check then shows what is wrong, and
 * the floor's report still stands.
 */
export async function retimeAfterActual(
  tx: Db,
  events: EventBus,
  actor: Actor,
  slot: SlotRow,
  timeZone: string,
): Promise<number> {
  if (!slot.actualStart) return 0;
  const actualStart = slot.actualStart.getTime();
  const t0 = Math.min(actualStart, slot.plannedStart.getTime()) - DAY;
  // One re-timing at a time shop-wide. The slots are read without row locks and written only if
  // their version is unchanged, in id order: two tablets reporting at once cannot deadlock on
  // each other's slots, and a planner's move in between wins over the older reading.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('schedule-retime-after-actual'))`);
  const open = await readScheduleSlots(tx, { statusClass: 'open', from: new Date(t0) });
  if (!open.some((s) => s.routingId !== slot.routingId)) return 0;
  const shop = await new CalendarService(tx, timeZone).calendar();
  const horizon = Math.max(actualStart, ...open.map((s) => s.plannedEnd.getTime())) + 60 * DAY;
  const calendarOf = (wc: string): CalendarIndex => shop.calendarIndex(wc, t0, horizon);
  const toMin = (ms: number) => Math.round((ms - t0) / MINUTE);
  const toDate = (min: number) => new Date(t0 + min * MINUTE);
  const workOf = (wc: string, startMs: number, endMs: number) => {
    const a = toMin(startMs);
    const b = toMin(endMs);
    const w = calendarOf(wc).workBetween(a, b);
    return w >= 1 ? w : Math.max(1, b - a);
  };

  const info = new Map(open.map((s) => [s.id, s]));
  const slots: RippleSlot[] = open
    .filter((s) => s.id !== slot.id)
    .map((s) => ({
      id: s.id,
      routingId: s.routingId,
      jobId: s.jobId,
      workCenterId: s.workCenterId,
      start: toMin(s.plannedStart.getTime()),
      end: toMin(s.plannedEnd.getTime()),
      work: workOf(s.workCenterId, s.plannedStart.getTime(), s.plannedEnd.getTime()),
      movable: s.status !== 'in_progress',
      dependsOn: s.dependencies,
    }));
  const work = workOf(slot.workCenterId, slot.plannedStart.getTime(), slot.plannedEnd.getTime());
  const start = toMin(actualStart);
  const end = slot.actualEnd ? toMin(slot.actualEnd.getTime()) : calendarOf(slot.workCenterId).endAfter(start, work);
  slots.push({
    id: slot.id,
    routingId: slot.routingId,
    jobId: info.get(slot.id)?.jobId ?? '',
    workCenterId: slot.workCenterId,
    start,
    end: Number.isFinite(end) ? end : start,
    work,
    movable: false,
    dependsOn: [],
  });
  if (!Number.isFinite(end)) return 0;
  const label = (s: RippleSlot) => {
    const row = info.get(s.id);
    return row ? `${row.jobNumber} ${row.operationCode}` : s.id;
  };
  const outcome = ripple(
    slots,
    slot.id,
    { start, end, workCenterId: slot.workCenterId, actual: true },
    calendarOf,
    label,
  );
  if (!outcome.ok) return 0;
  let retimed = 0;
  for (const r of [...outcome.retimed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (r.id === slot.id) continue; // its planned times stay: the planner shows actual against plan
    const before = info.get(r.id)!;
    const after = (
      await tx
        .update(scheduleSlots)
        .set({
          workCenterId: r.to.workCenterId,
          plannedStart: toDate(r.to.start),
          plannedEnd: toDate(r.to.end),
          version: before.version + 1,
          updatedAt: new Date(),
        })
        .where(and(eq(scheduleSlots.id, r.id), eq(scheduleSlots.version, before.version)))
        .returning()
    )[0];
    if (!after) continue;
    await recordAudit(
      tx,
      actor,
      'move',
      'schedule_slot',
      r.id,
      { plannedStart: before.plannedStart, plannedEnd: before.plannedEnd },
      { plannedStart: after.plannedStart, plannedEnd: after.plannedEnd, reason: r.reason, after: slot.id },
    );
    await events.record(tx, { type: 'slot.changed', slotId: r.id, action: 'retime' });
    retimed++;
  }
  return retimed;
}

/** The slot statuses of the given steps' latest slots (a floor conflict check: cancelled?). */
export async function latestSlotStatuses(db: Db, routingIds: string[]) {
  if (routingIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ routingId: scheduleSlots.routingId, status: scheduleSlots.status })
    .from(scheduleSlots)
    .where(inArray(scheduleSlots.routingId, routingIds))
    .orderBy(asc(scheduleSlots.updatedAt));
  return new Map(rows.map((r) => [r.routingId, r.status]));
}
