import { invalid } from '../platform/errors.js';
import type { RoutingInputT } from './schemas.js';

/**
 * The rules a routing must satisfy before anything is written: unique sequences,
 * dependencies on steps of the same job only, and no cycle. Returns each step's
 * resolved dependencies (as sequences), applying the default "previous step".
 */
export function resolveRoutingDependencies(routings: RoutingInputT[], path = 'routings'): Map<number, number[]> {
  const sequences = new Map<number, number>();
  routings.forEach((r, i) => {
    if (sequences.has(r.sequence)) {
      throw invalid(`${path}[${i}].sequence`, `sequence ${r.sequence} is used twice in this job`, 'duplicate_sequence');
    }
    sequences.set(r.sequence, i);
  });
  const sorted = [...sequences.keys()].sort((a, b) => a - b);
  const deps = new Map<number, number[]>();
  routings.forEach((r, i) => {
    let list: number[];
    if (r.dependsOn === undefined) {
      const prev = sorted[sorted.indexOf(r.sequence) - 1];
      list = prev === undefined ? [] : [prev];
    } else {
      list = [...new Set(r.dependsOn)];
    }
    for (const d of list) {
      if (d === r.sequence)
        throw invalid(`${path}[${i}].dependsOn`, `step ${r.sequence} cannot depend on itself`, 'routing_cycle');
      if (!sequences.has(d)) {
        throw invalid(`${path}[${i}].dependsOn`, `step ${d} is not a step of this job`, 'unknown_dependency');
      }
    }
    deps.set(r.sequence, list);
  });
  const cycle = findCycle(deps);
  if (cycle) {
    const idx = sequences.get(cycle[0]!)!;
    throw invalid(`${path}[${idx}].dependsOn`, `dependency cycle between steps ${cycle.join(' -> ')}`, 'routing_cycle');
  }
  return deps;
}

/** Depth-first search; returns the steps on a cycle (first repeated at the end) or undefined. */
export function findCycle(deps: Map<number, number[]>): number[] | undefined {
  const state = new Map<number, 1 | 2>(); // 1 on the stack, 2 done
  const stack: number[] = [];
  const visit = (n: number): number[] | undefined => {
    state.set(n, 1);
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const s = state.get(d);
      if (s === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (s === undefined) {
        const found = visit(d);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of deps.keys()) {
    if (!state.has(n)) {
      const found = visit(n);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Each step names a work-center type some center has, and a preferred center (if any) of that
 * type. `typeOf` maps center id -> machine type; `types` is every type the shop has.
 */
export function checkRoutingWorkCenters(
  routings: ReadonlyArray<Pick<RoutingInputT, 'workCenterType' | 'preferredWorkCenterId'>>,
  typeOf: ReadonlyMap<string, string>,
  types: ReadonlySet<string>,
): void {
  routings.forEach((r, i) => {
    if (!types.has(r.workCenterType)) {
      throw invalid(
        `routings[${i}].workCenterType`,
        `no work center has type "${r.workCenterType}"`,
        'unknown_work_center_type',
      );
    }
    if (!r.preferredWorkCenterId) return;
    const type = typeOf.get(r.preferredWorkCenterId);
    if (type === undefined) {
      throw invalid(
        `routings[${i}].preferredWorkCenterId`,
        `work center ${r.preferredWorkCenterId} does not exist`,
        'unknown_reference',
      );
    }
    if (type !== r.workCenterType) {
      throw invalid(
        `routings[${i}].preferredWorkCenterId`,
        `work center ${r.preferredWorkCenterId} is a ${type}, not a ${r.workCenterType}`,
        'wrong_work_center_type',
      );
    }
  });
}
