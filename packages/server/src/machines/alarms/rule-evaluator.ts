import { and, eq, inArray, isNull, min, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import type { EventBus } from '../../platform/events.js';
import { notifyRoles, type Notification } from '../../notifications/service.js';
import { workCenterFlags } from '../../shop/queries.js';
import { machineStatusRef, machinesRef } from './machine-refs.js';
import { openSuggestion, type ReplanSuggestion } from './replan-service.js';
import { alarmRuleFirings, alarmRules, machineAlarms } from './tables.js';

/** States in which a machine counts as down for the machine-down rule and replanning. */
export const DOWN_STATES: readonly string[] = ['alarm', 'offline', 'stopped'];

export interface RuleFiring {
  id: string;
  ruleId: string;
  machineId: string;
  machineCode: string;
  conditionSince: string;
  firedAt: string;
  resolvedAt: string | null;
}

/** What one evaluation changed; the caller publishes it after the writes are committed. */
export interface Evaluation {
  fired: RuleFiring[];
  resolved: RuleFiring[];
  notifications: Notification[];
  replans: ReplanSuggestion[];
}

interface MachineFacts {
  id: string;
  code: string;
  name: string;
  workCenterId: string | null;
  departmentId: string;
  state: string | null;
  stateSince: Date | null;
  isBottleneck: boolean;
  /** raise time of the oldest open fault alarm */
  faultSince: Date | null;
}

type Rule = typeof alarmRules.$inferSelect;

/** Is the rule's condition true for the machine, and since when? */
function condition(rule: Rule, m: MachineFacts): Date | null {
  switch (rule.kind) {
    case 'machine_down':
      return m.state !== null && DOWN_STATES.includes(m.state) ? m.stateSince : null;
    case 'bottleneck_fault':
      return m.isBottleneck ? m.faultSince : null;
  }
}

async function machineFacts(db: Db, machineIds?: readonly string[]): Promise<MachineFacts[]> {
  const faults = db
    .select({ machineId: machineAlarms.machineId, since: min(machineAlarms.raisedAt).as('fault_since') })
    .from(machineAlarms)
    .where(and(isNull(machineAlarms.clearedAt), eq(machineAlarms.severity, 'fault')))
    .groupBy(machineAlarms.machineId)
    .as('faults');
  const rows = await db
    .select({
      id: machinesRef.id,
      code: machinesRef.code,
      name: machinesRef.name,
      workCenterId: machinesRef.workCenterId,
      departmentId: machinesRef.departmentId,
      state: machineStatusRef.state,
      stateSince: machineStatusRef.since,
      isBottleneck: sql<boolean>`coalesce(${workCenterFlags.isBottleneck}, false)`,
      faultSince: sql<string | Date | null>`${faults.since}`,
    })
    .from(machinesRef)
    .leftJoin(machineStatusRef, eq(machineStatusRef.machineId, machinesRef.id))
    .leftJoin(workCenterFlags, eq(workCenterFlags.id, machinesRef.workCenterId))
    .leftJoin(faults, eq(faults.machineId, machinesRef.id))
    .where(
      and(
        eq(machinesRef.enabled, true),
        machineIds && machineIds.length > 0 ? inArray(machinesRef.id, [...machineIds]) : undefined,
      ),
    );
  // A raw column in a subquery comes back as text on some drivers: normalise it here.
  return rows.map((r) => ({ ...r, faultSince: r.faultSince === null ? null : new Date(r.faultSince) }));
}

function describe(rule: Rule, m: MachineFacts, since: Date, now: Date): { title: string; body: string } {
  const minutes = Math.max(0, Math.round((now.getTime() - since.getTime()) / 60000));
  switch (rule.kind) {
    case 'machine_down':
      return {
        title: `${m.code} down for ${minutes} min`,
        body: `${m.name} (${m.code}, work center ${m.workCenterId ?? 'none'}) has been ${m.state ?? 'down'} since ${since.toISOString()}.`,
      };
    case 'bottleneck_fault':
      return {
        title: `Fault on bottleneck ${m.workCenterId ?? m.code}`,
        body: `${m.name} (${m.code}) on bottleneck work center ${m.workCenterId ?? 'none'} has had an active fault alarm since ${since.toISOString()}.`,
      };
  }
}

/**
 * Evaluates every enabled rule for the given machines (all when omitted) at `now`. Fires a rule
 * once when its condition has held for its threshold, resolves it when the condition ends. The
 * machine-down rule also offers the work center to the planner, down and back. Firings are
 * claimed through a partial unique index, so concurrent evaluations (events and the periodic
 * tick, or two instances) never notify twice.
 */
export async function evaluateRules(
  db: Db,
  events: EventBus,
  now: Date,
  machineIds?: readonly string[],
): Promise<Evaluation> {
  const result: Evaluation = { fired: [], resolved: [], notifications: [], replans: [] };
  const rules = await db.select().from(alarmRules);
  const facts = await machineFacts(db, machineIds);
  if (facts.length === 0) return result;
  const open = await db
    .select()
    .from(alarmRuleFirings)
    .where(
      and(
        isNull(alarmRuleFirings.resolvedAt),
        inArray(
          alarmRuleFirings.machineId,
          facts.map((f) => f.id),
        ),
      ),
    );
  const openOf = new Map(open.map((f) => [`${f.ruleId}|${f.machineId}`, f]));
  for (const m of facts) {
    for (const rule of rules) {
      const since = rule.enabled ? condition(rule, m) : null;
      const current = openOf.get(`${rule.id}|${m.id}`);
      if (since && !current && now.getTime() - since.getTime() >= rule.thresholdMinutes * 60_000) {
        await fire(db, events, rule, m, since, now, result);
      } else if (!since && current) {
        await resolve(db, events, rule, m, current.id, now, result);
      }
    }
  }
  return result;
}

const firingView = (row: typeof alarmRuleFirings.$inferSelect, code: string): RuleFiring => ({
  id: row.id,
  ruleId: row.ruleId,
  machineId: row.machineId,
  machineCode: code,
  conditionSince: row.conditionSince.toISOString(),
  firedAt: row.firedAt.toISOString(),
  resolvedAt: row.resolvedAt?.toISOString() ?? null,
});

async function fire(
  db: Db,
  events: EventBus,
  rule: Rule,
  m: MachineFacts,
  since: Date,
  now: Date,
  out: Evaluation,
): Promise<void> {
  await db.transaction(async (tx) => {
    const mark = markOf(out);
    const row = (
      await tx
        .insert(alarmRuleFirings)
        .values({ ruleId: rule.id, machineId: m.id, conditionSince: since, firedAt: now })
        .onConflictDoNothing()
        .returning()
    )[0];
    if (!row) return; // another evaluation fired it first
    out.fired.push(firingView(row, m.code));
    const text = describe(rule, m, since, now);
    out.notifications.push(
      ...(await notifyRoles(tx, rule.notifyRoles, {
        kind: `alarm-rule.${rule.id}`,
        ...text,
        link: `/departments/${encodeURIComponent(m.departmentId)}`,
        firingId: row.id,
      })),
    );
    if (rule.kind === 'machine_down' && m.workCenterId) {
      const suggestion = await openSuggestion(
        tx,
        { workCenterId: m.workCenterId, machineId: m.id, reason: 'machine_down', since },
        now,
      );
      if (suggestion) {
        out.replans.push(suggestion);
        out.notifications.push(...(await replanNotice(tx, rule, m, suggestion)));
      }
    }
    await recordSince(tx, events, out, mark);
  });
}

async function resolve(
  db: Db,
  events: EventBus,
  rule: Rule,
  m: MachineFacts,
  firingId: string,
  now: Date,
  out: Evaluation,
) {
  await db.transaction(async (tx) => {
    const mark = markOf(out);
    const row = (
      await tx
        .update(alarmRuleFirings)
        .set({ resolvedAt: now })
        .where(and(eq(alarmRuleFirings.id, firingId), isNull(alarmRuleFirings.resolvedAt)))
        .returning()
    )[0];
    if (!row) return;
    out.resolved.push(firingView(row, m.code));
    // Back up after a down that was long enough to be offered for replanning: offer it again.
    if (rule.kind === 'machine_down' && rule.enabled && m.workCenterId && m.state !== null) {
      const backSince = m.stateSince ?? now;
      const suggestion = await openSuggestion(
        tx,
        { workCenterId: m.workCenterId, machineId: m.id, reason: 'machine_back', since: backSince },
        now,
      );
      if (suggestion) {
        out.replans.push(suggestion);
        out.notifications.push(...(await replanNotice(tx, rule, m, suggestion)));
      }
    }
    await recordSince(tx, events, out, mark);
  });
}

/** How far the evaluation's lists were when a transaction began. */
const markOf = (out: Evaluation) => ({ notifications: out.notifications.length, replans: out.replans.length });

/** Records, in the transaction that created them, the events of the notifications and suggestions it added. */
async function recordSince(tx: Db, events: EventBus, out: Evaluation, mark: ReturnType<typeof markOf>) {
  for (const notification of out.notifications.slice(mark.notifications))
    await events.record(tx, { type: 'notification.created', notification });
  for (const s of out.replans.slice(mark.replans))
    await events.record(tx, {
      type: 'planning.replan-suggested',
      suggestionId: s.id,
      workCenterId: s.workCenterId,
      machineId: s.machineId,
      reason: s.reason,
      since: s.since,
    });
}

async function replanNotice(tx: Db, rule: Rule, m: MachineFacts, s: ReplanSuggestion): Promise<Notification[]> {
  const down = s.reason === 'machine_down';
  return notifyRoles(tx, rule.notifyRoles, {
    kind: 'replan-suggested',
    title: down ? `Replan? ${s.workCenterId} is down` : `Replan? ${s.workCenterId} is back`,
    body: down
      ? `${m.code} on ${s.workCenterId} has been down since ${s.since}; the published plan still counts on it. Start a plan run to move its work.`
      : `${m.code} on ${s.workCenterId} is back (${m.state ?? 'up'}) since ${s.since}. A plan run can count on it again.`,
    link: '/plan-runs',
  });
}
