import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { roleHas, ROLES, type Permission, type Role } from '../auth/permissions.js';
import { recordStepGood } from '../jobs/completed-quantity.js';
import { recordSlotProgress } from '../planning/slot-progress.js';
import { stepStates } from '../planning/step-progress.js';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { pgError } from '../platform/pg-errors.js';
import { decide, type OperationState, type OperationStatus, type OperationTxType } from './operation-rules.js';
import { floorAttendance, floorLabor, floorOperations, floorTransactions } from './tables.js';
import { BatchLookups } from './transaction-batch.js';
import { isUuid } from '../platform/uuid.js';

export const TRANSACTION_TYPES = ['start', 'pause', 'resume', 'finish', 'count', 'clock_in', 'clock_out'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** One transaction as the floor app, a scanner or an integration sends it (the issue's contract). */
export interface FloorTransactionInput {
  id: string;
  deviceId: string;
  seq: number;
  at: string;
  type: string;
  operationId?: string;
  employee?: string;
  good?: number;
  scrap?: number;
  reason?: string;
  /** a supervisor lets an operator start work the queue does not offer yet */
  override?: boolean;
}

export type FloorResultStatus = 'applied' | 'duplicate' | 'rejected' | 'conflict';
export interface FloorResult {
  id: string;
  status: FloorResultStatus;
  message: string;
  field?: string;
}

export interface FloorDeps {
  db: Db;
  events: EventBus;
  /** the shop's time zone: re-timing after a report walks the work centers' shifts */
  timeZone: string;
}

/** A transaction stamped further in the future than this (after the clock correction) is refused. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** An answer that is not "applied", with the field it is about. */
class Refusal extends Error {
  constructor(
    readonly status: 'rejected' | 'conflict',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
const reject = (message: string, field?: string) => new Refusal('rejected', message, field);

/** The ledger already holds the transaction (another request recorded it first): nothing was changed. */
class AlreadyRecorded extends Error {
  constructor(readonly status: string) {
    super('already recorded');
  }
}

const duplicate = (id: string, status: string): FloorResult => ({
  id,
  status: 'duplicate',
  message: `already received (${status}); nothing changed`,
});

/** The transaction's time on the server's clock, or undefined when it has none (check() says why). */
function serverTime(t: FloorTransactionInput, skew: number, receivedAt: number): Date | undefined {
  const clientAt = Date.parse(t.at);
  if (!Number.isFinite(clientAt)) return undefined;
  const corrected = clientAt + skew;
  if (corrected > receivedAt + FUTURE_SLACK_MS) return undefined;
  return new Date(Math.min(corrected, receivedAt));
}

/** What one transaction of a batch works with besides its own input. */
interface Ctx {
  deps: FloorDeps;
  actor: Actor;
  lookups: BatchLookups;
}

/**
 * Applies a batch in order, each transaction its own database transaction, and answers one
 * result per transaction. A transaction id seen before answers `duplicate` and changes nothing,
 * whatever its first outcome was, so a replayed queue never applies anything twice. Times are
 * the client's, moved by the difference between the server's clock and the client's `sentAt`
 * (a tablet whose clock is off still books the right minutes), and never later than now.
 */
export async function applyTransactions(
  deps: FloorDeps,
  actor: Actor,
  batch: { transactions: FloorTransactionInput[]; sentAt?: string },
): Promise<{ results: FloorResult[] }> {
  const receivedAt = Date.now();
  const sentAt = batch.sentAt ? Date.parse(batch.sentAt) : NaN;
  const skew = Number.isFinite(sentAt) ? receivedAt - sentAt : 0;
  const lookups = await BatchLookups.read(
    deps.db,
    actor,
    batch.transactions.map((t) => {
      const at = serverTime(t, skew, receivedAt);
      const { deviceId, operationId, employee, reason } = t;
      return { id: String(t.id ?? '').toLowerCase(), deviceId, operationId, employee, reason, ...(at ? { at } : {}) };
    }),
  );
  const results: FloorResult[] = [];
  for (const t of batch.transactions) results.push(await applyOne({ deps, actor, lookups }, t, skew, receivedAt));
  return { results };
}

async function applyOne(ctx: Ctx, t: FloorTransactionInput, skew: number, receivedAt: number): Promise<FloorResult> {
  const { deps, actor, lookups } = ctx;
  const given = String(t.id ?? '');
  if (!isUuid(given)) {
    return { id: given, status: 'rejected', message: 'id must be a UUID made by the device', field: 'id' };
  }
  const id = given;
  const seen = lookups.seen.get(id.toLowerCase());
  if (seen) return duplicate(id, seen);
  const ledger = {
    id,
    deviceId: String(t.deviceId ?? '').slice(0, 100),
    seq: Number.isInteger(t.seq) ? t.seq : -1,
    type: String(t.type ?? '').slice(0, 20),
    operationId: t.operationId && isUuid(t.operationId) ? t.operationId : null,
    stationId: actor.stationId ?? null,
    sentBy: `${actor.type}:${actor.id}`.slice(0, 100),
    good: Number.isInteger(t.good) ? t.good! : null,
    scrap: Number.isInteger(t.scrap) ? t.scrap! : null,
    reason: t.reason ? String(t.reason).slice(0, 50) : null,
  };
  try {
    const applied = await deps.db.transaction(async (tx) => {
      const checked = check(ctx, t, skew, receivedAt);
      const message = await apply(tx, ctx, checked, { id, deviceId: ledger.deviceId, seq: ledger.seq });
      await tx.insert(floorTransactions).values({
        ...ledger,
        employeeId: checked.employeeId,
        clientAt: new Date(Date.parse(t.at)),
        at: checked.at,
        status: 'applied',
        message,
      });
      return { id, status: 'applied' as const, message };
    });
    lookups.recorded(id.toLowerCase(), ledger.deviceId, ledger.seq, 'applied');
    return applied;
  } catch (err) {
    if (err instanceof AlreadyRecorded) return duplicate(id, err.status);
    // The same id applied by a request running beside this one: its ledger row won, this one rolled back.
    if (pgError(err)?.code === '23505') {
      const status = await ledgerStatus(deps.db, id);
      if (status) return duplicate(id, status);
    }
    const refusal =
      err instanceof Refusal
        ? err
        : err instanceof AppError && err.kind !== 'unavailable'
          ? new Refusal(err.kind === 'conflict' ? 'conflict' : 'rejected', err.message, err.field)
          : undefined;
    if (!refusal) throw err;
    const clientAt = Date.parse(t.at);
    // Kept so that a resend answers duplicate; a refused transaction changed nothing else.
    const kept = await deps.db
      .insert(floorTransactions)
      .values({
        ...ledger,
        clientAt: Number.isFinite(clientAt) ? new Date(clientAt) : null,
        status: refusal.status,
        message: refusal.message,
        field: refusal.field ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: floorTransactions.id });
    if (kept.length === 0) {
      const status = await ledgerStatus(deps.db, id);
      if (status) return duplicate(id, status);
    }
    lookups.recorded(id.toLowerCase(), ledger.deviceId, ledger.seq, refusal.status);
    return { id, status: refusal.status, message: refusal.message, ...(refusal.field ? { field: refusal.field } : {}) };
  }
}

async function ledgerStatus(db: Db, id: string): Promise<string | undefined> {
  const row = (
    await db
      .select({ status: floorTransactions.status })
      .from(floorTransactions)
      .where(eq(floorTransactions.id, id))
      .limit(1)
  )[0];
  return row?.status;
}

interface Checked {
  type: TransactionType;
  at: Date;
  employeeId: string;
  employeeName: string;
  operationId: string | null;
  good: number;
  scrap: number;
  reason?: { code: string; kind: string | null };
  override: boolean;
}

// Employees' roles come from the users table as text: an unknown one holds nothing.
const holds = (role: string, p: Permission) => (ROLES as readonly string[]).includes(role) && roleHas(role as Role, p);

/**
 * Validates one transaction against its sender, its device and its employee, with what the batch
 * read once; the device's seq is checked again under the transaction's lock (guard()).
 */
function check(ctx: Ctx, t: FloorTransactionInput, skew: number, receivedAt: number): Checked {
  const { actor, lookups } = ctx;
  if (!(TRANSACTION_TYPES as readonly string[]).includes(t.type)) {
    throw reject(`type must be one of ${TRANSACTION_TYPES.join(', ')}`, 'type');
  }
  const type = t.type as TransactionType;
  if (typeof t.deviceId !== 'string' || t.deviceId.trim() === '' || t.deviceId.length > 100) {
    throw reject('deviceId must be the device’s id (1-100 characters)', 'deviceId');
  }
  if (!Number.isInteger(t.seq) || t.seq < 0) throw reject('seq must be a whole number, 0 or more', 'seq');
  const clientAt = Date.parse(t.at);
  if (!Number.isFinite(clientAt)) throw reject('at must be an ISO date-time', 'at');
  const corrected = clientAt + skew;
  if (corrected > receivedAt + FUTURE_SLACK_MS) throw reject('at is in the future; check the tablet’s clock', 'at');
  const at = new Date(Math.min(corrected, receivedAt));

  // A device's transactions apply in the order it numbered them.
  const last = lookups.lastSeq(t.deviceId);
  if (last !== undefined && t.seq <= last) throw notAfter(t.seq, last);

  const employee = whoDidIt(ctx, t, at);
  const needs: Permission = type === 'clock_in' || type === 'clock_out' ? 'labor:clock' : 'production:report';
  if (!holds(employee.role, needs))
    throw new Refusal('rejected', `${employee.name} may not ${needs.replace(':', ' ')}`, 'employee');

  let operationId: string | null = null;
  if (type !== 'clock_in' && type !== 'clock_out') {
    if (!t.operationId || !isUuid(t.operationId)) throw reject('operationId must be a routing step id', 'operationId');
    operationId = t.operationId;
  }
  let reason: Checked['reason'];
  if (t.reason !== undefined && t.reason !== null && t.reason !== '') {
    const code = String(t.reason).trim().toUpperCase();
    reason = { code, kind: lookups.reasonKind(code) };
  }
  const override = t.override === true;
  if (override && !holds(actorRole(actor), 'schedule:edit') && !holds(employee.role, 'schedule:edit')) {
    throw reject('only a supervisor can override the queue', 'override');
  }
  return {
    type,
    at,
    employeeId: employee.id,
    employeeName: employee.name,
    operationId,
    good: t.good ?? 0,
    scrap: t.scrap ?? 0,
    ...(reason ? { reason } : {}),
    override,
  };
}

const actorRole = (actor: Actor) => actor.role ?? '';

const notAfter = (seq: number, last: number) =>
  reject(`seq ${seq} is not after ${last}, the last one this device sent`, 'seq');

/**
 * The person a transaction is booked on. A user's own device books on the user (a supervisor
 * may book for someone else); a station books on the employee named, who must have been signed
 * in on that station when it happened: the offline queue is replayed with the station's token
 * after the operator has signed out.
 */
function whoDidIt(ctx: Ctx, t: FloorTransactionInput, at: Date) {
  const { actor, lookups } = ctx;
  if (actor.type === 'station') {
    if (!t.employee) throw reject('employee is required from a station (badge or user id)', 'employee');
    const e = lookups.employee(t.employee);
    if (!e || !e.isActive) throw reject(`employee ${t.employee} is not a known, active person`, 'employee');
    if (!lookups.signedIn(e.id, at)) {
      throw reject(`${e.name} was not signed in on this station at ${at.toISOString()}`, 'employee');
    }
    return e;
  }
  if (actor.type !== 'user') throw reject('floor transactions come from a person or a station', 'employee');
  const self = { id: actor.id, name: actor.name, role: actorRole(actor), isActive: true };
  if (!t.employee) return self;
  const e = lookups.employee(t.employee);
  if (e && e.id === actor.id) return self;
  if (!holds(actorRole(actor), 'schedule:edit')) throw reject('you can only report your own work', 'employee');
  if (!e || !e.isActive) throw reject(`employee ${t.employee} is not a known, active person`, 'employee');
  return e;
}

/** The ledger entry a transaction is about to write: what guard() checks again in its transaction. */
interface Entry {
  id: string;
  deviceId: string;
  seq: number;
}

/**
 * Takes the transaction's advisory lock and, in the same statement, reads the ledger again: a
 * request for the same device running beside this one may have recorded this id or a later seq
 * since the batch looked (the statement sees what had committed when it began, as a separate
 * read before the lock would).
 */
async function guard(tx: Db, lockKey: string, entry: Entry | undefined): Promise<void> {
  if (!entry) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`);
    return;
  }
  const result = await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey})) AS locked,
          (SELECT status FROM floor_transactions WHERE id = ${entry.id}) AS seen,
          (SELECT max(seq) FROM floor_transactions WHERE device_id = ${entry.deviceId}) AS last`,
  );
  const row = (result as unknown as { rows: Array<{ seen: string | null; last: number | string | null }> }).rows[0];
  if (row?.seen) throw new AlreadyRecorded(row.seen);
  if (row?.last !== null && row?.last !== undefined && entry.seq <= Number(row.last)) {
    throw notAfter(entry.seq, Number(row.last));
  }
}

/** Writes an applied transaction's effects; answers its message. `entry` is the ledger entry to guard (none for a clock-out's pauses). */
async function apply(tx: Db, ctx: Ctx, c: Checked, entry?: Entry): Promise<string> {
  const { deps, actor, lookups } = ctx;
  const { events } = deps;
  if (c.type === 'clock_in' || c.type === 'clock_out') return clock(tx, ctx, c, entry);
  const operationId = c.operationId!;
  // One floor transaction at a time per operation, whichever tablet sends it.
  await guard(tx, operationId, entry);
  const step = await lookups.step(tx, operationId);
  if (!step) throw reject(`operation ${operationId} does not exist`, 'operationId');
  const state = await operationState(tx, operationId, step.quantity, await lookups.cancelled(tx, operationId));
  const verdict = decide(state, {
    type: c.type as OperationTxType,
    employeeId: c.employeeId,
    good: c.good,
    scrap: c.scrap,
    ...(c.reason ? { reason: c.reason } : {}),
  });
  if (verdict.status !== 'applied') throw new Refusal(verdict.status, verdict.message, verdict.field);
  if (state.status === 'not_started' && (c.type === 'start' || c.type === 'resume') && !c.override) {
    const waiting = (await stepStates(tx, step.dependencies)).filter((s) => !s.complete);
    if (waiting.length > 0) {
      throw new Refusal(
        'conflict',
        `not ready: waits for ${waiting.map((w) => `${w.operationCode} (step ${w.sequence}, ${w.status ?? 'unscheduled'})`).join(', ')}; a supervisor can override`,
      );
    }
  }
  const e = verdict.effect;
  const now = new Date();
  if (state.status === 'not_started') {
    await tx
      .insert(floorOperations)
      .values({ routingId: operationId, status: e.next, startedAt: c.at, updatedAt: now });
  }
  await tx
    .update(floorOperations)
    .set({
      status: e.next,
      good: sql`${floorOperations.good} + ${e.good}`,
      scrap: sql`${floorOperations.scrap} + ${e.scrap}`,
      ...(e.next === 'finished' ? { finishedAt: c.at } : {}),
      ...(e.pauseReason ? { pauseReason: e.pauseReason } : e.next === 'running' ? { pauseReason: null } : {}),
      ...(e.overrunReason ? { overrunReason: e.overrunReason } : {}),
      updatedAt: now,
    })
    .where(eq(floorOperations.routingId, operationId));
  if (e.labor === 'start') {
    await tx.insert(floorLabor).values({
      routingId: operationId,
      employeeId: c.employeeId,
      stationId: actor.stationId ?? null,
      startedAt: c.at,
    });
  } else if (e.labor === 'end' || e.labor === 'end_all') {
    await tx
      .update(floorLabor)
      .set({ endedAt: sql`greatest(${floorLabor.startedAt}, ${c.at.toISOString()}::timestamptz)` })
      .where(
        and(
          eq(floorLabor.routingId, operationId),
          isNull(floorLabor.endedAt),
          ...(e.labor === 'end' ? [eq(floorLabor.employeeId, c.employeeId)] : []),
        ),
      );
  }
  if (state.status === 'not_started') {
    await recordSlotProgress(tx, events, actor, operationId, { kind: 'started', at: c.at }, deps);
  }
  if (e.next === 'finished') {
    const startedAt = state.startedAt ?? c.at;
    await recordSlotProgress(tx, events, actor, operationId, { kind: 'finished', at: c.at, startedAt }, deps);
  }
  // The job counts what its last steps finished (jobs/completed-quantity.ts); the total, not the delta.
  if (e.good > 0) await recordStepGood(tx, { actor, events }, operationId, state.good + e.good);
  await events.record(tx, {
    type: 'floor.operation-changed',
    operationId,
    status: e.next,
    action: c.type,
    employeeId: c.employeeId,
  });
  return verdict.message;
}

/**
 * The operation's floor state with who is on it, in one read (after its advisory lock: it must see
 * what the transaction before it wrote); `cancelled`: whether the planner cancelled its slot.
 */
export async function operationState(
  tx: Db,
  operationId: string,
  quantity: number,
  cancelled: boolean,
): Promise<OperationState> {
  const active = sql<string[]>`(SELECT coalesce(json_agg(${floorLabor.employeeId}), '[]'::json) FROM ${floorLabor}
    WHERE ${floorLabor.routingId} = ${operationId} AND ${floorLabor.endedAt} IS NULL)`;
  const row = (
    await tx
      .select({
        status: floorOperations.status,
        startedAt: floorOperations.startedAt,
        good: floorOperations.good,
        scrap: floorOperations.scrap,
        active,
      })
      .from(sql`(SELECT 1) AS one`)
      .leftJoin(floorOperations, eq(floorOperations.routingId, operationId))
  )[0];
  const employees = typeof row?.active === 'string' ? (JSON.parse(row.active) as string[]) : (row?.active ?? []);
  return {
    status: (row?.status as OperationStatus | undefined) ?? 'not_started',
    startedAt: row?.startedAt ?? null,
    good: row?.good ?? 0,
    scrap: row?.scrap ?? 0,
    quantity,
    active: new Set(employees),
    cancelled,
  };
}

/** Clock in / out; clocking out also ends the person's labor on every operation. */
async function clock(tx: Db, ctx: Ctx, c: Checked, entry: Entry | undefined): Promise<string> {
  const { events } = ctx.deps;
  await guard(tx, `attendance:${c.employeeId}`, entry);
  const open = (
    await tx
      .select()
      .from(floorAttendance)
      .where(and(eq(floorAttendance.employeeId, c.employeeId), isNull(floorAttendance.clockOut)))
  )[0];
  if (c.type === 'clock_in') {
    if (open)
      throw new Refusal('conflict', `${c.employeeName} is already clocked in since ${open.clockIn.toISOString()}`);
    await tx.insert(floorAttendance).values({ employeeId: c.employeeId, clockIn: c.at });
    await events.record(tx, { type: 'floor.attendance-changed', employeeId: c.employeeId, clockedIn: true });
    return 'clocked in';
  }
  if (!open) throw new Refusal('conflict', `${c.employeeName} is not clocked in`);
  await tx
    .update(floorAttendance)
    .set({ clockOut: new Date(Math.max(c.at.getTime(), open.clockIn.getTime())) })
    .where(eq(floorAttendance.id, open.id));
  const working = await tx
    .select({ routingId: floorLabor.routingId })
    .from(floorLabor)
    .where(and(eq(floorLabor.employeeId, c.employeeId), isNull(floorLabor.endedAt)));
  for (const w of working) {
    await apply(tx, ctx, {
      ...c,
      type: 'pause',
      operationId: w.routingId,
      reason: { code: 'SHIFT_END', kind: 'pause' },
    });
  }
  await events.record(tx, { type: 'floor.attendance-changed', employeeId: c.employeeId, clockedIn: false });
  return working.length > 0
    ? `clocked out; left ${working.length} operation(s) paused or to the others on them`
    : 'clocked out';
}
