/**
 * Random small problems for property tests: calendars (some with tiny intervals), setup
 * matrices, DAG precedence across jobs, releases, flexible modes and fixed operations that
 * are feasible whatever runs before them (their setup window always fits).
 */
import { CalendarIndex } from '../calendar.js';
import type { FixedOperation, Interval, Objective, Operation, Problem } from '../model.js';
import { Rng } from '../random.js';

export function randomProblem(seed: number, size = 1): Problem {
  const rng = new Rng(seed);
  const R = rng.int(1, 3 + size);
  const C = rng.int(0, 3);
  const maxSetup = C > 0 ? rng.int(0, 12) : 0;
  const resources = Array.from({ length: R }, (_, r) => {
    let calendar: Interval[] | null = null;
    if (rng.chance(0.6)) {
      calendar = [];
      const period = rng.int(30, 90);
      const work = rng.int(maxSetup + 5, period);
      for (let t = 0; t < 40000; t += period) {
        if (work === period) calendar.push([t, t + work]);
        else {
          calendar.push([t, t + work]);
          // an occasional one-minute interval inside the break
          if (rng.chance(0.1) && t + work + 2 < t + period) calendar.push([t + work + 1, t + work + 2]);
        }
      }
      // merge exact-touching pairs produced when work === period
      calendar = calendar.reduce<Interval[]>((acc, iv) => {
        const last = acc[acc.length - 1];
        if (last && last[1] === iv[0]) acc[acc.length - 1] = [last[0], iv[1]];
        else acc.push(iv);
        return acc;
      }, []);
    }
    return { id: `R${r}`, calendar, initialSetup: C > 0 && rng.chance(0.5) ? rng.int(0, C - 1) : -1 };
  });
  const nJobs = rng.int(1, 3 + 2 * size);
  const operations: Operation[] = [];
  const jobs = Array.from({ length: nJobs }, (_, j) => {
    const k = rng.int(1, 4);
    const ids: number[] = [];
    for (let i = 0; i < k; i++) {
      const o = operations.length;
      const nm = rng.int(1, Math.min(R, 3));
      const modes = [];
      const used = new Set<number>();
      for (let m = 0; m < nm; m++) {
        const r = rng.int(0, R - 1);
        if (used.has(r)) continue;
        used.add(r);
        // occasional zero-duration operations exercise the edge cases of gaps and setups
        modes.push({ resource: r, duration: rng.chance(0.05) ? 0 : rng.int(1, 25) });
      }
      const predecessors: number[] = [];
      if (i > 0) predecessors.push(o - 1);
      if (o > 0 && rng.chance(0.2)) {
        const p = rng.int(0, o - 1);
        if (!predecessors.includes(p)) predecessors.push(p);
      }
      operations.push({
        id: `J${j}/${i}`,
        job: j,
        modes,
        setupCategory: C > 0 && rng.chance(0.8) ? rng.int(0, C - 1) : -1,
        predecessors,
      });
      ids.push(o);
    }
    const release = rng.chance(0.5) ? rng.int(0, 60) : 0;
    return { id: `J${j}`, release, due: release + rng.int(20, 200), weight: rng.pick([1, 2, 4, 8]), operations: ids };
  });
  const matrix =
    C > 0 && rng.chance(0.5)
      ? Array.from({ length: C }, () =>
          Array.from({ length: C }, () => (rng.chance(0.7) ? rng.int(0, maxSetup) : undefined)),
        )
      : null;
  const objective: Objective = rng.pick(['makespan', 'weighted_tardiness', 'lexicographic']);
  const fixed: FixedOperation[] = [];
  const cals = resources.map((r) => new CalendarIndex(r.calendar));
  const busy: Array<Array<[number, number]>> = resources.map(() => []);
  for (let o = 0; o < operations.length; o++) {
    const op = operations[o]!;
    if (op.predecessors.length > 0 || !rng.chance(0.15)) continue;
    const mode = rng.pick(op.modes);
    const cal = cals[mode.resource]!;
    const rel = jobs[op.job]!.release;
    const x = cal.setupStart(rel + rng.int(0, 150), maxSetup, mode.duration);
    const start = x + maxSetup;
    const end = cal.endAfter(start, mode.duration);
    if (!Number.isFinite(end) || busy[mode.resource]!.some(([a, b]) => x < b && a < end)) continue;
    busy[mode.resource]!.push([x, end]);
    fixed.push({ operation: o, resource: mode.resource, start });
  }
  return {
    objective,
    resources,
    jobs,
    operations,
    setupCategories: Array.from({ length: C }, (_, c) => `C${c}`),
    setupTimes: { default: maxSetup, matrix },
    fixed,
  };
}
