/** Precedence DAG helpers shared by bounds, decoders and readers. */
import type { Operation } from './model.js';

/** successor lists (CSR layout: succ[start[o] .. start[o + 1]) ) for fast iteration */
export interface Successors {
  start: Int32Array;
  list: Int32Array;
}

export function successors(ops: readonly Operation[]): Successors {
  const n = ops.length;
  const start = new Int32Array(n + 1);
  for (const op of ops) for (const p of op.predecessors) start[p + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const list = new Int32Array(start[n]!);
  for (let o = 0; o < n; o++) for (const p of ops[o]!.predecessors) list[fill[p]!++] = o;
  return { start, list };
}

/** Kahn topological order, or the operations on a cycle when there is one. */
export function topologicalOrder(ops: readonly Operation[]): { order: Int32Array } | { cycle: number[] } {
  const n = ops.length;
  const succ = successors(ops);
  const indeg = new Int32Array(n);
  for (let o = 0; o < n; o++) indeg[o] = ops[o]!.predecessors.length;
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let o = 0; o < n; o++) if (indeg[o] === 0) order[tail++] = o;
  while (head < tail) {
    const o = order[head++]!;
    for (let k = succ.start[o]!; k < succ.start[o + 1]!; k++) {
      const s = succ.list[k]!;
      if (--indeg[s]! === 0) order[tail++] = s;
    }
  }
  if (tail === n) return { order };
  // walk back along unfinished predecessors until an operation repeats: that loop is a cycle
  let o = 0;
  while (indeg[o] === 0) o++;
  const pos = new Map<number, number>();
  const path: number[] = [];
  while (!pos.has(o)) {
    pos.set(o, path.length);
    path.push(o);
    o = ops[o]!.predecessors.find((p) => indeg[p]! > 0)!;
  }
  return { cycle: path.slice(pos.get(o)).reverse() };
}
