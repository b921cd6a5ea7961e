import type { Db } from '../../platform/db.js';
import { invalid } from '../../platform/errors.js';
import { loadAnalysisSnapshot } from '../analysis-queries.js';
import { DAY, type AnalysisCenter } from '../model.js';
import { buildView, type AnalysisView } from '../view.js';
import { buckets, type Bucket } from './buckets.js';
import { lateJobPaths, type LateJobPath } from './critical-path.js';
import {
  bucketLoad,
  capacityIn,
  centerCapacity,
  slotMinutesIn,
  utilisation,
  type BucketLoad,
  type CapacitySource,
} from './load.js';
import { queueTimes, type QueueTime } from './queue-time.js';
import { rankCenters } from './ranking.js';

export const DEFAULT_WINDOW_DAYS = 14;
const MAX_WINDOW_DAYS = 366;

export interface CenterReport {
  rank: number;
  id: string;
  name: string;
  departmentId: string;
  isActive: boolean;
  /** the flag as configured today, to compare with the suggestion */
  isBottleneck: boolean;
  suggestBottleneck: boolean;
  reason: string;
  capacitySource: CapacitySource;
  loadMinutes: number;
  capacityMinutes: number;
  utilisationPct: number | null;
  /** the most loaded local day: a window average hides a single overbooked day */
  peakDay: { key: string; utilisationPct: number } | null;
  queue: QueueTime;
  lateJobsCritical: number;
  lateJobNumbers: string[];
  days: BucketLoad[];
  weeks: BucketLoad[];
}

export interface DepartmentReport {
  id: string;
  name: string;
  loadMinutes: number;
  capacityMinutes: number;
  utilisationPct: number | null;
  days: BucketLoad[];
  weeks: BucketLoad[];
}

export interface BottleneckReport {
  from: string;
  to: string;
  timeZone: string;
  workCenters: CenterReport[];
  departments: DepartmentReport[];
  lateJobs: LateJobPath[];
}

/** Raw (unrounded) load and capacity of one center per bucket, for summing into departments. */
interface Sums {
  days: Array<[number, number]>;
  weeks: Array<[number, number]>;
  total: [number, number];
}

function centerSums(
  view: AnalysisView,
  center: AnalysisCenter,
  from: number,
  to: number,
  b: { days: Bucket[]; weeks: Bucket[] },
): Sums & { source: CapacitySource } {
  const cap = centerCapacity(view, center, from, to);
  const cal = view.calendars.get(center.id);
  const slots = (view.slotsByCenter.get(center.id) ?? []).filter((s) => s.start < to && s.end > from);
  const sum = (bucket: { start: number; end: number }): [number, number] => [
    slots.reduce((n, s) => n + slotMinutesIn(s, cal, bucket.start, bucket.end), 0),
    capacityIn(cap, bucket.start, bucket.end),
  ];
  return { source: cap.source, days: b.days.map(sum), weeks: b.weeks.map(sum), total: sum({ start: from, end: to }) };
}

function peakOf(days: readonly BucketLoad[]): { key: string; utilisationPct: number } | null {
  let peak: { key: string; utilisationPct: number } | null = null;
  for (const d of days) {
    if (d.utilisationPct !== null && (!peak || d.utilisationPct > peak.utilisationPct))
      peak = { key: d.key, utilisationPct: d.utilisationPct };
  }
  return peak;
}

export function parseWindow(
  fromText: string | undefined,
  toText: string | undefined,
  now = Date.now(),
): { from: number; to: number } {
  const from = fromText ? Date.parse(fromText) : now;
  const to = toText ? Date.parse(toText) : from + DEFAULT_WINDOW_DAYS * DAY;
  if (!(to > from)) throw invalid('to', 'must be after from');
  if (to - from > MAX_WINDOW_DAYS * DAY) throw invalid('to', `the window may span at most ${MAX_WINDOW_DAYS} days`);
  return { from, to };
}

/**
 * Load against capacity per work center and department, per local day and ISO week; queue time
 * before each center; the critical paths of late jobs; and a ranking with bottleneck
 * suggestions (rules in load.ts, queue-time.ts, critical-path.ts, ranking.ts).
 */
export async function analyseBottlenecks(
  db: Db,
  timeZone: string,
  window: { from: number; to: number },
): Promise<BottleneckReport> {
  const { from, to } = window;
  const view = buildView(await loadAnalysisSnapshot(db, timeZone, window));
  const b = buckets(from, to, timeZone);
  const queues = queueTimes(view, from, to);
  const lateJobs = lateJobPaths(view, from, to);
  const criticalFor = new Map<string, Set<string>>();
  for (const j of lateJobs) {
    for (const step of j.criticalPath) {
      const set = criticalFor.get(step.workCenterId) ?? new Set<string>();
      set.add(j.jobNumber);
      criticalFor.set(step.workCenterId, set);
    }
  }

  const sums = new Map<string, Sums & { source: CapacitySource }>();
  for (const c of view.snapshot.centers.values()) sums.set(c.id, centerSums(view, c, from, to, b));
  const rounded = (pair: [number, number]) => ({ load: Math.round(pair[0]), capacity: Math.round(pair[1]) });

  const base = [...view.snapshot.centers.values()].map((c) => {
    const s = sums.get(c.id)!;
    const t = rounded(s.total);
    const days = b.days.map((d, i) => bucketLoad(d, s.days[i]![0], s.days[i]![1]));
    return {
      center: c,
      s,
      load: t.load,
      capacity: t.capacity,
      days,
      peakDay: peakOf(days),
      lateJobNumbers: [...(criticalFor.get(c.id) ?? [])].sort(),
    };
  });
  const ranks = rankCenters(
    base.map((x) => ({
      id: x.center.id,
      loadMinutes: x.load,
      capacityMinutes: x.capacity,
      utilisationPct: utilisation(x.load, x.capacity),
      peakDay: x.peakDay,
      lateJobNumbers: x.lateJobNumbers,
    })),
  );
  const workCenters: CenterReport[] = base
    .map(({ center: c, s, load, capacity, days, peakDay, lateJobNumbers }) => {
      const r = ranks.get(c.id)!;
      return {
        rank: r.rank,
        id: c.id,
        name: c.name,
        departmentId: c.departmentId,
        isActive: c.isActive,
        isBottleneck: c.isBottleneck,
        suggestBottleneck: r.suggestBottleneck,
        reason: r.reason,
        capacitySource: s.source,
        loadMinutes: load,
        capacityMinutes: capacity,
        utilisationPct: utilisation(load, capacity),
        peakDay,
        queue: queues.get(c.id)!,
        lateJobsCritical: lateJobNumbers.length,
        lateJobNumbers,
        days,
        weeks: b.weeks.map((w, i) => bucketLoad(w, s.weeks[i]![0], s.weeks[i]![1])),
      };
    })
    .sort((x, y) => x.rank - y.rank);

  const departments: DepartmentReport[] = [...view.snapshot.departments].map(([id, name]) => {
    const members = base.filter((x) => x.center.departmentId === id).map((x) => x.s);
    const add = (pick: (s: Sums) => [number, number]): [number, number] =>
      members.reduce<[number, number]>((acc, s) => [acc[0] + pick(s)[0], acc[1] + pick(s)[1]], [0, 0]);
    const total = rounded(add((s) => s.total));
    return {
      id,
      name,
      loadMinutes: total.load,
      capacityMinutes: total.capacity,
      utilisationPct: utilisation(total.load, total.capacity),
      days: b.days.map((d, i) => bucketLoad(d, ...add((s) => s.days[i]!))),
      weeks: b.weeks.map((w, i) => bucketLoad(w, ...add((s) => s.weeks[i]!))),
    };
  });
  departments.sort((x, y) => x.id.localeCompare(y.id));

  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    timeZone,
    workCenters,
    departments,
    lateJobs,
  };
}
