/**
 * Starting schedules for the general search: every dispatch rule, plus setup-aware ATCS
 * with a small grid of look-ahead parameters (more of the grid on smaller problems, where
 * a constructive run costs little). Returns the best by the problem objective.
 */
import type { Compiled } from '../compiled.js';
import { compareObjectives, evaluate } from '../evaluate.js';
import type { ObjectiveValues, Schedule } from '../model.js';
import { atcsPriority } from '../rules.js';
import { dispatchDecode, DispatchMode } from '../sgs.js';

export interface Start {
  schedule: Schedule;
  values: ObjectiveValues;
  rule: string;
  /** ATCS parameters when the start came from ATCS */
  atcs?: { k1: number; k2: number; mode: DispatchMode };
}

export function atcsStarts(c: Compiled, deadline: number, incumbent: Start): Start {
  const k1s = [2, 4, 1, 0.5];
  const k2s = [0.25, 1, 0.5, 2];
  const modes: DispatchMode[] = ['nondelay', 'active'];
  let best = incumbent;
  outer: for (const k1 of k1s) {
    for (const k2 of k2s) {
      for (const mode of modes) {
        if (performance.now() >= deadline) break outer;
        const schedule = dispatchDecode(c, atcsPriority(c, k1, k2), mode);
        const values = evaluate(c.problem, schedule);
        if (compareObjectives(c.problem.objective, values, best.values) < 0)
          best = { schedule, values, rule: `ATCS(${k1},${k2})/${mode}`, atcs: { k1, k2, mode } };
      }
    }
  }
  return best;
}
