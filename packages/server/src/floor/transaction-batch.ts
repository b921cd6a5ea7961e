import { inArray, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import {
  resolveEmployees,
  signedInDuring,
  signInWindows,
  type Employee,
  type SignInWindow,
} from '../auth/station-sign-in.js';
import { routingStepById } from '../jobs/queries.js';
import { latestSlotStatuses } from '../planning/slot-progress.js';
import type { Db } from '../platform/db.js';
import { isUuid } from '../platform/uuid.js';
import { listReasons } from './reasons.js';
import { floorTransactions } from './tables.js';

type RoutingStep = NonNullable<Awaited<ReturnType<typeof routingStepById>>>;

/** What a batch needs to know of one transaction before reading anything (the service's own rules). */
export interface BatchItem {
  id: string;
  deviceId?: unknown;
  operationId?: unknown;
  employee?: unknown;
  reason?: unknown;
  /** the transaction's server time, when it has a valid one */
  at?: Date;
}

/**
 * What a batch of floor transactions looks up once instead of once per transaction: a replayed
 * backlog of hundreds names the same device, a few people, a few operations and reason codes
 * again and again. Each transaction is still its own database transaction, and what another
 * request could change in between is read again there (transaction-service.ts): the ledger and
 * the device's last seq under the transaction's lock, the operation's floor state after its
 * advisory lock. What is kept here either only grows and is a lower bound (the ledger's ids, a
 * device's last seq: this batch's own writes are added as they happen) or belongs to people and
 * planners and is read as of the batch's arrival (employees, sign-in windows, reason codes,
 * routing steps, whether an operation's slot was cancelled: no floor transaction changes those;
 * its slot progress never cancels a slot, and a cancelled operation cannot be started).
 * Anything not read up front (a clock-out pauses operations the batch does not name) is read in
 * the transaction that needs it and kept.
 */
export class BatchLookups {
  private constructor(
    /** ledger id -> its outcome */
    readonly seen: Map<string, string>,
    /** device -> the highest seq the ledger holds for it */
    private readonly lastSeqs: Map<string, number>,
    private readonly employees: Map<string, Employee>,
    private readonly signIns: Map<string, SignInWindow[]>,
    private readonly reasons: Map<string, string>,
    private readonly steps: Map<string, RoutingStep | undefined>,
    private readonly slotStatuses: Map<string, string | undefined>,
  ) {}

  static async read(db: Db, actor: Actor, items: readonly BatchItem[]): Promise<BatchLookups> {
    const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const distinct = (values: Array<string | undefined>) => [...new Set(values.filter((v) => v !== undefined))];
    const ids = distinct(items.map((t) => t.id)).filter(isUuid);
    const devices = distinct(items.map((t) => text(t.deviceId))).filter((d) => d.length <= 100);
    const names = distinct(items.map((t) => text(t.employee)));
    const operations = distinct(
      items.map((t) => text(t.operationId)).map((o) => (o && isUuid(o) ? o.toLowerCase() : undefined)),
    );
    const ats = items.map((t) => t.at?.getTime()).filter((ms) => ms !== undefined);

    const seen = new Map<string, string>();
    if (ids.length > 0) {
      const rows = await db
        .select({ id: floorTransactions.id, status: floorTransactions.status })
        .from(floorTransactions)
        .where(inArray(floorTransactions.id, ids));
      for (const r of rows) seen.set(r.id, r.status);
    }
    const lastSeqs = new Map<string, number>();
    if (devices.length > 0) {
      const rows = await db
        .select({ deviceId: floorTransactions.deviceId, seq: sql<number | null>`max(${floorTransactions.seq})` })
        .from(floorTransactions)
        .where(inArray(floorTransactions.deviceId, devices))
        .groupBy(floorTransactions.deviceId);
      for (const r of rows) if (r.seq !== null) lastSeqs.set(r.deviceId, Number(r.seq));
    }
    const employees = await resolveEmployees(db, names);
    const people = [...new Set([...employees.values()].map((e) => e.id))];
    const signIns =
      actor.type === 'station' && actor.stationId && ats.length > 0
        ? await signInWindows(db, actor.stationId, people, new Date(Math.min(...ats)), new Date(Math.max(...ats)))
        : new Map<string, SignInWindow[]>();
    const reasons = items.some((t) => text(t.reason) !== undefined)
      ? new Map((await listReasons(db)).map((r) => [r.code, r.kind as string]))
      : new Map<string, string>();
    const steps = new Map<string, RoutingStep | undefined>();
    for (const o of operations) steps.set(o, await routingStepById(db, o));
    const statuses = await latestSlotStatuses(db, operations);
    const slotStatuses = new Map(operations.map((o) => [o, statuses.get(o)]));
    return new BatchLookups(seen, lastSeqs, employees, signIns, reasons, steps, slotStatuses);
  }

  /** The device's last seq as far as this batch knows (the ledger may hold a later one). */
  lastSeq(deviceId: string): number | undefined {
    return this.lastSeqs.get(deviceId);
  }

  /** What the ledger now holds for a transaction this batch wrote. */
  recorded(id: string, deviceId: string, seq: number, status: string): void {
    this.seen.set(id, status);
    const last = this.lastSeqs.get(deviceId);
    if (last === undefined || seq > last) this.lastSeqs.set(deviceId, seq);
  }

  employee(text: string): Employee | undefined {
    return this.employees.get(text);
  }

  /** Whether the employee was signed in on the batch's station at `at` (within the batch's times). */
  signedIn(employeeId: string, at: Date): boolean {
    return signedInDuring(this.signIns.get(employeeId), at);
  }

  /** An active reason code's kind, or null for a code that is not one. */
  reasonKind(code: string): string | null {
    return this.reasons.get(code) ?? null;
  }

  async step(tx: Db, operationId: string): Promise<RoutingStep | undefined> {
    const key = operationId.toLowerCase();
    if (!this.steps.has(key)) this.steps.set(key, await routingStepById(tx, key));
    return this.steps.get(key);
  }

  async cancelled(tx: Db, operationId: string): Promise<boolean> {
    const key = operationId.toLowerCase();
    if (!this.slotStatuses.has(key)) this.slotStatuses.set(key, (await latestSlotStatuses(tx, [key])).get(key));
    return this.slotStatuses.get(key) === 'cancelled';
  }
}
