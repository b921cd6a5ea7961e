import { dispatch, type QueueItem, type RuleName } from '@kerf/solver';

/**
 * Ranking of one work center's queue, pure and synchronous: this is the part of the queue
 * request that has a latency target (p99 < 5 ms for 1,000 operations; bench:planning
 * measures it), so it takes plain numbers and does no I/O.
 */

/** One slot in the queue as the ranking sees it; `item` carries the rule inputs in minutes. */
export interface RankEntry {
  slotId: string;
  /** planned start, epoch milliseconds (the published plan's order) */
  plannedStart: number;
  running: boolean;
  ready: boolean;
  item: QueueItem;
  /** the same item with due in the center's working minutes (see working-clock.ts), for CR and SLACK */
  workingItem?: QueueItem;
}

export type OrderBasis = 'plan' | 'rule' | 'override';

export interface RankOptions {
  /** rank ready work by this rule; absent: follow the plan and use `tieBreak` for equal starts */
  rule?: RuleName;
  tieBreak: RuleName;
  /** now, in minutes since the epoch (the same unit as the items' due and arrival) */
  nowMinutes: number;
  /** now on the working clock of the entries' workingItem; with it CR and SLACK count working minutes */
  nowWorkingMinutes?: number;
  /** a supervisor's order, honoured before any rule (already checked to be current) */
  override?: readonly string[];
}

export interface Ranked<T extends RankEntry> {
  entries: T[];
  orderedBy: OrderBasis;
}

const byStart = (a: RankEntry, b: RankEntry) => a.plannedStart - b.plannedStart;

/**
 * Orders a queue: the running operation(s) first, whatever the rule, because they occupy the
 * center now. Then, in order of precedence: a supervisor's override (listed slots first, the
 * rest after in plan order); a rule (ready work ranked by the solver's dispatch(), waiting work
 * after in plan order, since a rule cannot pick what cannot start); or the plan (planned start,
 * equal starts broken by the tie-break rule).
 */
export function rankQueue<T extends RankEntry>(queue: readonly T[], o: RankOptions): Ranked<T> {
  const running: T[] = [];
  const rest: T[] = [];
  for (const e of queue) (e.running ? running : rest).push(e);
  running.sort(byStart);
  if (o.override && o.override.length > 0) {
    return { entries: [...running, ...overrideOrder(rest, o.override, o)], orderedBy: 'override' };
  }
  if (o.rule) {
    const ready: T[] = [];
    const waiting: T[] = [];
    for (const e of rest) (e.ready ? ready : waiting).push(e);
    waiting.sort(byStart);
    return { entries: [...running, ...byRule(ready, o.rule, o), ...waiting], orderedBy: 'rule' };
  }
  return { entries: [...running, ...planOrder(rest, o.tieBreak, o)], orderedBy: 'plan' };
}

// Rules whose "time until due" is capacity: measured on the working clock when there is one.
const WORKING_TIME_RULES: ReadonlySet<RuleName> = new Set<RuleName>(['CR', 'SLACK']);

/** The rule's ranking, through the solver so the floor and the planner share one formula. */
function byRule<T extends RankEntry>(entries: T[], rule: RuleName, o: RankOptions): T[] {
  const working = WORKING_TIME_RULES.has(rule) && o.nowWorkingMinutes !== undefined;
  const itemOf = (e: T): QueueItem => (working ? (e.workingItem ?? e.item) : e.item);
  const of = new Map<QueueItem, T>();
  for (const e of entries) of.set(itemOf(e), e);
  return dispatch(entries.map(itemOf), rule, working ? o.nowWorkingMinutes! : o.nowMinutes).map((it) => of.get(it)!);
}

/**
 * Planned start first; the rule's rank decides between equal starts. Keys sit in typed arrays
 * so the sort compares numbers; and since a center's plan rarely has two equal starts, the
 * rule (over the whole queue, so ATC's p_avg is the queue's) runs only when there is a tie.
 */
function planOrder<T extends RankEntry>(entries: T[], tieBreak: RuleName, o: RankOptions): T[] {
  const n = entries.length;
  const start = new Float64Array(n);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    start[i] = entries[i]!.plannedStart;
    idx[i] = i;
  }
  idx.sort((a, b) => start[a]! - start[b]! || a - b);
  let tie = false;
  for (let i = 1; i < n && !tie; i++) tie = start[idx[i]!] === start[idx[i - 1]!];
  if (tie) {
    const position = new Map<T, number>();
    entries.forEach((e, i) => position.set(e, i));
    const rank = new Uint32Array(n);
    byRule(entries, tieBreak, o).forEach((e, r) => (rank[position.get(e)!] = r));
    idx.sort((a, b) => start[a]! - start[b]! || rank[a]! - rank[b]!);
  }
  return Array.from(idx, (i) => entries[i]!);
}

function overrideOrder<T extends RankEntry>(entries: T[], order: readonly string[], o: RankOptions): T[] {
  const position = new Map(order.map((id, i) => [id, i]));
  const listed = entries
    .filter((e) => position.has(e.slotId))
    .sort((a, b) => position.get(a.slotId)! - position.get(b.slotId)!);
  const others = planOrder(
    entries.filter((e) => !position.has(e.slotId)),
    o.tieBreak,
    o,
  );
  return [...listed, ...others];
}
