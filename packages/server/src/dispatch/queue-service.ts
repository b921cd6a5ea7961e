import type { RuleName } from '@kerf/solver';
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { CalendarService } from '../shop/calendar-service.js';
import { isoUtc } from './iso-time.js';
import { queueEntries, type QueueEntry } from './queue-entries.js';
import {
  queueOrderRow,
  queueSlots,
  remainingWork,
  stepStates,
  workCenterRow,
  type QueueOrderRow,
} from './queue-queries.js';
import { rankQueue } from './queue-ranking.js';
import { workingClock } from './working-clock.js';

const MINUTE = 60_000;
/** Equal planned starts are broken by earliest due date unless the caller names a rule. */
export const DEFAULT_TIE_BREAK: RuleName = 'EDD';

export interface QueueRequest {
  rule?: RuleName;
  /** epoch ms; the clock is read by the caller so tests can pin it */
  now: number;
}

/**
 * A manual order is honoured while the queue holds no slot it was not made for and none of
 * its slots changed (moved, re-timed: a new version). Slots that left the queue (started,
 * finished, cancelled) simply drop out of it.
 */
export function overrideIsCurrent(order: QueueOrderRow, waiting: readonly QueueEntry[]): boolean {
  return waiting.every((e) => order.slotVersions[e.slotId] === e.row.version);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function view(e: QueueEntry, position: number, nowMs: number, nowWorking: number) {
  const r = e.row;
  // working minutes until due, as CR and SLACK rank (wall minutes for a center without shifts)
  const untilDue = e.workingItem ? e.workingItem.due - nowWorking : (r.dueDate.getTime() - nowMs) / MINUTE;
  return {
    position,
    slotId: r.slotId,
    version: r.version,
    status: r.status,
    running: e.running,
    ready: e.ready,
    waitingOn: e.waitingOn,
    jobId: r.jobId,
    jobNumber: r.jobNumber,
    customer: r.customer,
    dueDate: isoUtc(r.dueDate.getTime()),
    priority: r.priority,
    routingId: r.routingId,
    sequence: r.sequence,
    operationCode: r.operationCode,
    processingMinutes: round2(e.processingMinutes),
    remainingJobMinutes: round2(e.remainingJobMinutes),
    // Shown so a supervisor can see why CR / SLACK rank as they do; CR < 1 means behind.
    criticalRatio: e.remainingJobMinutes > 0 ? round2(untilDue / e.remainingJobMinutes) : null,
    slackMinutes: Math.round(untilDue - e.remainingJobMinutes),
    plannedStart: isoUtc(e.plannedStart),
    plannedEnd: isoUtc(r.plannedEnd.getTime()),
  };
}

export type QueueItemView = ReturnType<typeof view>;

/** Everything the queue is computed from, read in one go (the I/O half of a queue request). */
export async function loadQueueData(db: Db, workCenterId: string, timeZone: string) {
  const wc = await workCenterRow(db, workCenterId);
  if (!wc) throw notFound('work center', workCenterId);
  const rows = await queueSlots(db, workCenterId);
  const [states, remaining, order, calendar] = await Promise.all([
    stepStates(db, [...new Set(rows.flatMap((r) => r.dependencies))]),
    remainingWork(db, [...new Set(rows.map((r) => r.jobId))]),
    queueOrderRow(db, workCenterId),
    new CalendarService(db, timeZone).calendar(),
  ]);
  return {
    wc,
    calendar,
    rows,
    states: new Map(states.map((st) => [st.routingId, st])),
    remaining: new Map(remaining.map((x) => [x.jobId, x.minutes])),
    order,
  };
}

export type QueueData = Awaited<ReturnType<typeof loadQueueData>>;

/**
 * The queue from its data: readiness, ranking, the response. Pure and synchronous, so the
 * benchmark can time the service part apart from the database read.
 */
export function buildQueue({ wc, calendar, rows, states, remaining, order }: QueueData, req: QueueRequest) {
  const workingAt = workingClock(calendar, wc.id, [req.now, ...rows.map((r) => r.dueDate.getTime())]);
  const nowWorking = workingAt(req.now);
  const entries = queueEntries(rows, states, remaining, wc.efficiencyFactor, workingAt);
  const waiting = entries.filter((e) => !e.running);
  const current = order !== undefined && overrideIsCurrent(order, waiting);
  // An explicit rule asks "what would the rule say", so it is shown unmixed with the override.
  const useOverride = current && req.rule === undefined;
  const ranked = rankQueue(entries, {
    ...(req.rule ? { rule: req.rule } : {}),
    tieBreak: req.rule ?? DEFAULT_TIE_BREAK,
    nowMinutes: req.now / MINUTE,
    nowWorkingMinutes: nowWorking,
    ...(useOverride ? { override: order.slotIds } : {}),
  });
  return {
    workCenter: { id: wc.id, name: wc.name, down: !wc.isActive },
    message: wc.isActive
      ? null
      : `${wc.id} is down (inactive): nothing in this queue can run here until it is back; re-plan or move the work`,
    rule: req.rule ?? null,
    orderedBy: ranked.orderedBy,
    now: new Date(req.now).toISOString(),
    override: order
      ? {
          applied: useOverride,
          stale: !current,
          reason: order.reason,
          setBy: order.setBy,
          setAt: order.updatedAt.toISOString(),
          slotIds: order.slotIds,
        }
      : null,
    total: entries.length,
    ready: entries.filter((e) => e.ready && !e.running).length,
    items: ranked.entries.map((e, i) => view(e, i + 1, req.now, nowWorking)),
  };
}

/** The live queue of one work center (GET /work-centers/{id}/queue). */
export async function getQueue(db: Db, workCenterId: string, req: QueueRequest, timeZone: string) {
  return buildQueue(await loadQueueData(db, workCenterId, timeZone), req);
}
