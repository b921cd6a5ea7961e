/**
 * Seeded generator of realistic sheet-metal shop problems (see handbook DOMAIN.md):
 * work centres of seven types with 1-3 shift calendars Monday to Friday (with a break in
 * each shift, a night shift across midnight, and plant holidays), setup categories by
 * material + thickness on lasers and by tooling/fixture/grit elsewhere, jobs whose part
 * branches (cut, form, weld, polish) join at assembly before shipping, due dates over four
 * weeks, weights 8/4/2/1 from priorities 1..4, and a few frozen in-progress operations.
 * Time zero is Monday 00:00; times are minutes.
 */
import { CalendarIndex } from '../calendar.js';
import type { FixedOperation, Interval, Job, Mode, Operation, Problem, Resource } from '../model.js';
import { Rng } from '../random.js';

export interface ShopOptions {
  operations: number;
  resources?: number;
  seed?: number;
}

type Kind = 'Laser' | 'Punch' | 'Brake' | 'Weld' | 'Polish' | 'Assembly' | 'Ship';
const KINDS: ReadonlyArray<{ kind: Kind; share: number; shifts: [number, number]; dur: [number, number] }> = [
  { kind: 'Laser', share: 0.1, shifts: [3, 3], dur: [15, 120] },
  { kind: 'Punch', share: 0.075, shifts: [2, 3], dur: [20, 90] },
  { kind: 'Brake', share: 0.15, shifts: [2, 2], dur: [10, 90] },
  { kind: 'Weld', share: 0.225, shifts: [1, 2], dur: [30, 200] },
  { kind: 'Polish', share: 0.15, shifts: [1, 2], dur: [20, 120] },
  { kind: 'Assembly', share: 0.2, shifts: [1, 2], dur: [30, 180] },
  { kind: 'Ship', share: 0.1, shifts: [1, 1], dur: [15, 45] },
];
const MATERIALS = ['SS304', 'SS316', 'CRS', 'AL5052', 'GALV'];
const GAUGES = ['10GA', '12GA', '14GA', '16GA', '18GA'];
const DAY = 1440;
const WEEK = 7 * DAY;
const WEIGHTS = [8, 4, 2, 1];
/** weeks of shift time the busiest work-centre type needs: slightly over the due-date window */
const LOAD_WEEKS = 4.2;

/** Shift windows (start minute of day, [work, break, work] lengths): day, swing, night. */
const SHIFTS: ReadonlyArray<number> = [6 * 60, 14 * 60, 22 * 60];

function calendar(shifts: number, weeks: number, holidays: ReadonlySet<number>): Interval[] {
  const out: Interval[] = [];
  for (let d = 0; d < weeks * 7; d++) {
    if (d % 7 >= 5 || holidays.has(d)) continue;
    for (let s = 0; s < shifts; s++) {
      const start = d * DAY + SHIFTS[s]!;
      // 8 h shift with a 30 min break after 4 h; the night shift runs past midnight
      out.push([start, start + 240], [start + 270, start + 480]);
    }
  }
  return out;
}

export function generateShopProblem(options: ShopOptions): Problem {
  const rng = new Rng(options.seed ?? 1);
  const target = Math.max(1, options.operations);
  const nRes = Math.max(KINDS.length, options.resources ?? 40);

  // work centres by type
  const byKind = new Map<Kind, number[]>();
  const counts = KINDS.map((k) => Math.max(1, Math.round(k.share * nRes)));
  let total = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; total !== nRes; i = (i + 1) % counts.length) {
    if (total < nRes) {
      counts[i]!++;
      total++;
    } else if (counts[i]! > 1) {
      counts[i]!--;
      total--;
    }
  }
  const shiftsOf: number[] = [];
  const efficiency: number[] = [];
  const kindOf: Kind[] = [];
  KINDS.forEach((k, ki) => {
    const list: number[] = [];
    for (let i = 0; i < counts[ki]!; i++) {
      list.push(kindOf.length);
      kindOf.push(k.kind);
      shiftsOf.push(rng.int(k.shifts[0], k.shifts[1]));
      efficiency.push(0.85 + 0.25 * rng.next());
    }
    byKind.set(k.kind, list);
  });

  // setup categories: laser material+gauge, brake toolsets, weld fixtures, polish grits
  const categories: string[] = [];
  const catOf = new Map<string, number>();
  const cat = (name: string): number => {
    let i = catOf.get(name);
    if (i === undefined) {
      i = categories.length;
      categories.push(name);
      catOf.set(name, i);
    }
    return i;
  };
  const laserCats = MATERIALS.flatMap((m) => GAUGES.map((g) => cat(`${m}-${g}`)));
  const brakeCats = ['A', 'B', 'C', 'D', 'E'].map((t) => cat(`TOOLSET-${t}`));
  const weldCats = [1, 2, 3, 4, 5, 6].map((f) => cat(`FIXTURE-${f}`));
  const polishCats = ['80', '120', '180'].map((g) => cat(`GRIT-${g}`));
  const C = categories.length;
  const matrix: Array<Array<number | undefined>> = Array.from({ length: C }, () =>
    new Array<number | undefined>(C).fill(undefined),
  );
  for (const a of laserCats) {
    for (const b of laserCats) {
      if (a === b) continue;
      const sameMaterial = categories[a]!.split('-')[0] === categories[b]!.split('-')[0];
      matrix[a]![b] = sameMaterial ? 15 : 30;
    }
  }
  for (const group of [brakeCats, weldCats])
    for (const a of group) for (const b of group) if (a !== b) matrix[a]![b] = 25;
  for (const a of polishCats) for (const b of polishCats) if (a !== b) matrix[a]![b] = 10;

  // jobs
  const operations: Operation[] = [];
  const jobs: Job[] = [];
  const addOp = (job: number, kind: Kind, setupCategory: number, preds: number[]): number => {
    const k = KINDS.find((x) => x.kind === kind)!;
    const base = rng.int(k.dur[0], k.dur[1]);
    const all = byKind.get(kind)!;
    // flexible within the type; larger types offer a subset of centres per operation
    const eligible = all.length <= 4 ? all : all.filter(() => rng.chance(0.5));
    const chosen = eligible.length > 0 ? eligible : [rng.pick(all)];
    const modes: Mode[] = chosen.map((r) => ({
      resource: r,
      duration: Math.max(1, Math.round(base / efficiency[r]!)),
    }));
    const id = operations.length;
    operations.push({ id: `J-${1000 + job}/${operations.length}`, job, modes, setupCategory, predecessors: preds });
    return id;
  };
  while (operations.length < target) {
    const j = jobs.length;
    const left = target - operations.length;
    const ops: number[] = [];
    const branches = left < 4 ? 1 : rng.int(1, 3);
    const ends: number[] = [];
    const material = rng.pick(MATERIALS);
    for (let b = 0; b < branches && operations.length + 1 < target; b++) {
      let prev: number[] = [];
      const cut = rng.chance(0.75)
        ? addOp(j, 'Laser', catOf.get(`${material}-${rng.pick(GAUGES)}`)!, prev)
        : addOp(j, 'Punch', -1, prev);
      ops.push(cut);
      prev = [cut];
      const steps: Array<[Kind, number[] | null, number]> = [
        ['Brake', brakeCats, 0.7],
        ['Weld', weldCats, 0.5],
        ['Polish', polishCats, 0.5],
      ];
      for (const [kind, cats, p] of steps) {
        if (operations.length + 2 > target || !rng.chance(p)) continue;
        const o = addOp(j, kind, cats ? rng.pick(cats) : -1, prev);
        ops.push(o);
        prev = [o];
      }
      ends.push(...prev);
    }
    if (operations.length < target && (branches > 1 || rng.chance(0.6))) {
      const a = addOp(j, 'Assembly', -1, [...ends]);
      ops.push(a);
      ends.length = 0;
      ends.push(a);
    }
    if (operations.length < target) ops.push(addOp(j, 'Ship', -1, [...ends]));
    if (ops.length === 0) ops.push(addOp(j, 'Ship', -1, []));
    const priority = rng.chance(0.1) ? 1 : rng.chance(0.22) ? 2 : rng.chance(0.7) ? 3 : 4;
    const release = rng.chance(0.5) ? 0 : rng.int(0, 10) * DAY;
    jobs.push({ id: `J-${1000 + j}`, release, due: 0, weight: WEIGHTS[priority - 1]!, operations: ops });
  }

  // scale run times so the busiest type needs LOAD_WEEKS of its shifts whatever the size:
  // with due dates over four weeks that is a busy but feasible shop
  const loadOf = (): number => {
    const loadByKind = new Map<Kind, number>();
    for (const op of operations) {
      const k = kindOf[op.modes[0]!.resource]!;
      loadByKind.set(k, (loadByKind.get(k) ?? 0) + op.modes[0]!.duration);
    }
    let weeksNeeded = 0;
    for (const [k, load] of loadByKind) {
      const cap = byKind.get(k)!.reduce((s, r) => s + shiftsOf[r]! * 5 * 450, 0);
      weeksNeeded = Math.max(weeksNeeded, load / cap);
    }
    return weeksNeeded;
  };
  const factor = LOAD_WEEKS / Math.max(1e-9, loadOf());
  for (const op of operations) for (const m of op.modes) m.duration = Math.max(1, Math.round(m.duration * factor));
  const weeks = Math.ceil(loadOf() * 4) + 8;
  const spread = 4 * WEEK;
  for (const job of jobs) {
    const rush = job.weight === 8;
    job.due = job.release + Math.round((rush ? 0.1 + 0.3 * rng.next() : 0.15 + 0.85 * rng.next()) * spread);
  }
  const holidays = new Set<number>([rng.int(1, 4) + 7, rng.int(1, 4) + 21, rng.int(1, 4) + 42]);
  const resources: Resource[] = kindOf.map((k, r) => ({
    id: `${k.toUpperCase()}-${String(r + 1).padStart(2, '0')}`,
    calendar: calendar(shiftsOf[r]!, weeks, holidays),
    initialSetup: k === 'Laser' ? rng.pick(laserCats) : -1,
  }));

  // frozen work: the first operation of a few released jobs already placed at the start
  const fixed: FixedOperation[] = [];
  const maxSetup = 30;
  const busyUntil = new Map<number, number>();
  for (const job of jobs) {
    if (job.release !== 0 || !rng.chance(0.03)) continue;
    const o = job.operations[0]!;
    const op = operations[o]!;
    if (op.predecessors.length > 0) continue;
    const mode = op.modes[0]!;
    const cal = new CalendarIndex(resources[mode.resource]!.calendar);
    const from = busyUntil.get(mode.resource) ?? 0;
    const x = cal.setupStart(from, maxSetup, mode.duration);
    const start = x + maxSetup;
    const end = cal.endAfter(start, mode.duration);
    if (!Number.isFinite(end)) continue;
    busyUntil.set(mode.resource, end);
    fixed.push({ operation: o, resource: mode.resource, start });
  }

  return {
    objective: 'weighted_tardiness',
    resources,
    jobs,
    operations,
    setupCategories: categories,
    setupTimes: { default: 20, matrix },
    fixed,
  };
}
