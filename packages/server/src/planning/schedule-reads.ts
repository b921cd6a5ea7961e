import { and, asc, eq, gt, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { routingStep as step } from '../jobs/routing-job-view.js';
import type { Db } from '../platform/db.js';
import { scheduleSlots } from './tables.js';

/**
 * The one definition of which slots a read means (ADR 0019). `open` is the schedule the floor
 * follows: booked, not finished, not cancelled; an in-progress slot stays open even when its
 * planned end has passed, because it still holds its work center. Analysis, dispatch queues,
 * capable-to-promise, manual moves and placement checks all read `open`.
 */
export const SLOT_STATUS_CLASSES = {
  open: ['scheduled', 'queued', 'delayed', 'in_progress'],
  /** open and not started: what a reschedule may move (in-progress work stays where it runs) */
  notStarted: ['scheduled', 'queued', 'delayed'],
  inProgress: ['in_progress'],
  closed: ['complete', 'cancelled'],
} as const satisfies Record<string, readonly string[]>;

export type SlotStatusClass = keyof typeof SLOT_STATUS_CLASSES;

export function isSlotStatusIn(statusClass: SlotStatusClass, status: string): boolean {
  return (SLOT_STATUS_CLASSES[statusClass] as readonly string[]).includes(status);
}

export interface ScheduleReadFilter {
  /** default `open` */
  statusClass?: SlotStatusClass;
  /** slots overlapping [from, to): a slot ending exactly at `from` or starting exactly at `to` is outside */
  from?: Date;
  to?: Date;
  workCenterId?: string;
  /** lock the slot rows (not the steps or jobs) until the transaction ends */
  forUpdate?: boolean;
}

/** The slot, its routing step and its job: the one row shape every schedule reader gets. */
const SLOT_COLUMNS = {
  id: scheduleSlots.id,
  routingId: scheduleSlots.routingId,
  workCenterId: scheduleSlots.workCenterId,
  plannedStart: scheduleSlots.plannedStart,
  plannedEnd: scheduleSlots.plannedEnd,
  actualStart: scheduleSlots.actualStart,
  actualEnd: scheduleSlots.actualEnd,
  status: scheduleSlots.status,
  operatorId: scheduleSlots.operatorId,
  delayReason: scheduleSlots.delayReason,
  notes: scheduleSlots.notes,
  version: scheduleSlots.version,
  createdAt: scheduleSlots.createdAt,
  updatedAt: scheduleSlots.updatedAt,
  jobId: step.jobId,
  jobNumber: step.jobNumber,
  dueDate: step.dueDate,
  priority: step.priority,
  jobStatus: step.jobStatus,
  customer: step.customer,
  sequence: step.sequence,
  operationCode: step.operationCode,
  workCenterType: step.workCenterType,
  setupMinutes: step.setupMinutes,
  runMinutesPerUnit: step.runMinutesPerUnit,
  quantity: step.quantity,
  dependencies: step.dependencies,
};

export type ScheduleSlotColumn = keyof typeof SLOT_COLUMNS;
const ALL_COLUMNS = Object.keys(SLOT_COLUMNS) as ScheduleSlotColumn[];

/**
 * The schedule read as one statement. A reader that needs a few of the columns names them: the
 * row shape stays the one above, and a large schedule is not shipped whole for six fields
 * (capable-to-promise reads 8,500 slots per answer on a 1,500-job shop).
 */
/** Some of the schedule row's columns, for a reader that selects them itself (the slot listing). */
export function scheduleSlotColumns<K extends ScheduleSlotColumn>(columns: readonly K[]): Pick<typeof SLOT_COLUMNS, K> {
  return Object.fromEntries(columns.map((c) => [c, SLOT_COLUMNS[c]])) as Pick<typeof SLOT_COLUMNS, K>;
}

export function scheduleSlotQuery<K extends ScheduleSlotColumn = ScheduleSlotColumn>(
  db: Db,
  where: SQL | undefined,
  columns: readonly K[] = ALL_COLUMNS as K[],
) {
  const picked = scheduleSlotColumns(columns);
  return db
    .select(picked)
    .from(scheduleSlots)
    .innerJoin(step, eq(step.routingId, scheduleSlots.routingId))
    .where(where)
    .$dynamic();
}

export function scheduleFilterSql(f: ScheduleReadFilter): SQL | undefined {
  return and(
    inArray(scheduleSlots.status, [...SLOT_STATUS_CLASSES[f.statusClass ?? 'open']]),
    f.from ? gt(scheduleSlots.plannedEnd, f.from) : undefined,
    f.to ? lt(scheduleSlots.plannedStart, f.to) : undefined,
    f.workCenterId ? eq(scheduleSlots.workCenterId, f.workCenterId) : undefined,
  );
}

/** Slots of a status class, window and work center, ordered by center, planned start and id. */
export async function readScheduleSlots<K extends ScheduleSlotColumn = ScheduleSlotColumn>(
  db: Db,
  f: ScheduleReadFilter = {},
  columns?: readonly K[],
) {
  const q = scheduleSlotQuery(db, scheduleFilterSql(f), columns).orderBy(
    asc(scheduleSlots.workCenterId),
    asc(scheduleSlots.plannedStart),
    asc(scheduleSlots.id),
  );
  return f.forUpdate ? q.for('update', { of: scheduleSlots }) : q;
}

export type ScheduleSlotRow = Awaited<ReturnType<typeof readScheduleSlots>>[number];

/**
 * Every pair of open slots on one work center whose [start, end) intervals intersect, each
 * pair once. A self-join rather than lead(): lead() only compares neighbours and would miss a
 * long slot that covers two later ones.
 */
export async function openSlotOverlaps(db: Db): Promise<Array<{ firstId: string; secondId: string }>> {
  const other = alias(scheduleSlots, 'other');
  const open = [...SLOT_STATUS_CLASSES.open];
  return db
    .select({ firstId: scheduleSlots.id, secondId: other.id })
    .from(scheduleSlots)
    .innerJoin(
      other,
      and(
        eq(other.workCenterId, scheduleSlots.workCenterId),
        ne(other.id, scheduleSlots.id),
        // order each pair by (start, id) so it is reported once, earlier slot first
        sql`(${scheduleSlots.plannedStart}, ${scheduleSlots.id}) < (${other.plannedStart}, ${other.id})`,
        lt(other.plannedStart, scheduleSlots.plannedEnd),
        lt(scheduleSlots.plannedStart, other.plannedEnd),
      ),
    )
    .where(and(inArray(scheduleSlots.status, open), inArray(other.status, open)));
}
