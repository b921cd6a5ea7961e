/**
 * Perturbations of a priority list (an order over operations decoded by the serial SGS).
 * Each move reads the decoded schedule of the current list to aim where it matters:
 * tardy jobs, the resource that ends last, setup changes.
 */
import type { Compiled } from '../compiled.js';
import type { Schedule } from '../model.js';
import type { Rng } from '../random.js';

/** The list being searched: order[i] is the operation at position i; pos is its inverse. */
export interface ListState {
  order: Int32Array;
  pos: Int32Array;
  /** forced mode index per operation, -1 = the decoder picks the earliest-completing mode */
  mode: Int32Array;
}

export function cloneState(s: ListState): ListState {
  return { order: s.order.slice(), pos: s.pos.slice(), mode: s.mode.slice() };
}

export function copyState(from: ListState, to: ListState): void {
  to.order.set(from.order);
  to.pos.set(from.pos);
  to.mode.set(from.mode);
}

/** Move the operation at position `from` to position `to`, shifting the ones in between. */
export function moveTo(s: ListState, from: number, to: number): void {
  const { order, pos } = s;
  const o = order[from]!;
  if (from < to) {
    order.copyWithin(from, from + 1, to + 1);
    for (let i = from; i < to; i++) pos[order[i]!] = i;
  } else if (to < from) {
    order.copyWithin(to + 1, to, from);
    for (let i = to + 1; i <= from; i++) pos[order[i]!] = i;
  }
  order[to] = o;
  pos[o] = to;
}

export interface MoveContext {
  c: Compiled;
  rng: Rng;
  sched: Schedule;
  seqs: number[][];
  /** jobs with positive tardiness and their weighted tardiness */
  tardyJobs: number[];
  tardyWeight: number[];
  /** true when the objective is about due dates */
  dueDriven: boolean;
}

/** Pull one operation of a tardy job (or of the last-ending chain) earlier in the list. */
function pullEarlier(s: ListState, ctx: MoveContext): boolean {
  const { c, rng } = ctx;
  let o: number;
  if (ctx.dueDriven && ctx.tardyJobs.length > 0) {
    // roulette over weighted tardiness, so the costliest jobs get the most attention
    let total = 0;
    for (const w of ctx.tardyWeight) total += w;
    let x = rng.next() * total;
    let j = 0;
    while (j < ctx.tardyJobs.length - 1 && x >= ctx.tardyWeight[j]!) x -= ctx.tardyWeight[j++]!;
    const ops = c.problem.jobs[ctx.tardyJobs[j]!]!.operations;
    o = ops[rng.int(0, ops.length - 1)]!;
  } else {
    // an operation on the resource that finishes last
    let lastR = 0;
    let lastEnd = -1;
    for (let r = 0; r < c.R; r++) {
      const seq = ctx.seqs[r]!;
      if (seq.length === 0) continue;
      const e = ctx.sched.operations[seq[seq.length - 1]!]!.end;
      if (e > lastEnd) {
        lastEnd = e;
        lastR = r;
      }
    }
    const seq = ctx.seqs[lastR]!;
    o = seq[rng.int(0, seq.length - 1)]!;
  }
  const from = s.pos[o]!;
  if (from === 0) return false;
  const span = Math.max(2, Math.floor(c.n * (rng.chance(0.5) ? 0.02 : 0.15)));
  const to = Math.max(0, from - rng.int(1, span));
  moveTo(s, from, to);
  return true;
}

/** Index of o in its resource sequence (linear; sequences are short per resource). */
function seqIndex(seq: readonly number[], o: number): number {
  return seq.indexOf(o);
}

/**
 * Let an operation of a tardy job (roulette by weighted tardiness) overtake 1-3 of the
 * operations before it on its resource: the most direct way to finish that job earlier.
 */
function jumpAhead(s: ListState, ctx: MoveContext): boolean {
  const { c, rng } = ctx;
  if (!ctx.dueDriven || ctx.tardyJobs.length === 0) return swapAdjacent(s, ctx);
  let total = 0;
  for (const w of ctx.tardyWeight) total += w;
  let x = rng.next() * total;
  let j = 0;
  while (j < ctx.tardyJobs.length - 1 && x >= ctx.tardyWeight[j]!) x -= ctx.tardyWeight[j++]!;
  const ops = c.problem.jobs[ctx.tardyJobs[j]!]!.operations;
  const o = ops[rng.int(0, ops.length - 1)]!;
  if (c.isFixed[o]) return false;
  const seq = ctx.seqs[ctx.sched.operations[o]!.resource]!;
  const i = seqIndex(seq, o);
  if (i <= 0) return false;
  const target = seq[Math.max(0, i - rng.int(1, 3))]!;
  const from = s.pos[o]!;
  const to = s.pos[target]!;
  if (to >= from) return false;
  moveTo(s, from, to);
  return true;
}

/** Swap two adjacent operations of one resource sequence (the later one goes first). */
function swapAdjacent(s: ListState, ctx: MoveContext): boolean {
  const { rng } = ctx;
  const seq = ctx.seqs[rng.int(0, ctx.c.R - 1)]!;
  if (seq.length < 2) return false;
  const i = rng.int(0, seq.length - 2);
  const a = seq[i]!;
  const b = seq[i + 1]!;
  const pa = s.pos[a]!;
  const pb = s.pos[b]!;
  if (pb > pa) moveTo(s, pb, pa);
  else moveTo(s, pa, pb);
  return true;
}

/** Move an operation right behind another operation of the same setup category on its resource. */
function batchSetup(s: ListState, ctx: MoveContext): boolean {
  const { c, rng } = ctx;
  const seq = ctx.seqs[rng.int(0, c.R - 1)]!;
  if (seq.length < 3) return false;
  const i = rng.int(0, seq.length - 1);
  const o = seq[i]!;
  const cat = c.cat[o]!;
  if (cat < 0) return false;
  // nearest same-category operation in the sequence, on either side, not already adjacent
  let best = -1;
  for (let d = 2; d < seq.length && best < 0; d++) {
    for (const j of rng.chance(0.5) ? [i - d, i + d] : [i + d, i - d]) {
      if (j >= 0 && j < seq.length && c.cat[seq[j]!] === cat) {
        best = seq[j]!;
        break;
      }
    }
  }
  if (best < 0) return false;
  const from = s.pos[o]!;
  const anchor = s.pos[best]!;
  moveTo(s, from, from < anchor ? anchor : anchor + 1);
  return true;
}

/** Random reinsertion of a few operations (ruin and recreate at random positions). */
function shuffleFew(s: ListState, ctx: MoveContext): boolean {
  const { c, rng } = ctx;
  const k = rng.int(1, 4);
  for (let i = 0; i < k; i++) {
    const from = rng.int(0, c.n - 1);
    const span = Math.max(2, Math.floor(c.n * 0.05));
    const to = Math.min(c.n - 1, Math.max(0, from + rng.int(-span, span)));
    moveTo(s, from, to);
  }
  return true;
}

/** Force a different mode on a flexible operation, or give the choice back to the decoder. */
function changeMode(s: ListState, ctx: MoveContext): boolean {
  const { c, rng } = ctx;
  const o = rng.int(0, c.n - 1);
  const m0 = c.modeStart[o]!;
  const m1 = c.modeStart[o + 1]!;
  if (m1 - m0 < 2 || c.isFixed[o]) return false;
  s.mode[o] = rng.chance(0.3) ? -1 : rng.int(m0, m1 - 1);
  return true;
}

const MOVES = [
  jumpAhead,
  jumpAhead,
  jumpAhead,
  jumpAhead,
  jumpAhead,
  jumpAhead,
  jumpAhead,
  pullEarlier,
  pullEarlier,
  swapAdjacent,
  swapAdjacent,
  swapAdjacent,
  batchSetup,
  batchSetup,
  batchSetup,
  batchSetup,
  shuffleFew,
  changeMode,
  changeMode,
  changeMode,
];

/** Apply one random move (retrying a few times when a move does not apply). */
export function perturb(s: ListState, ctx: MoveContext, strength: number): void {
  for (let applied = 0, tries = 0; applied < strength && tries < 20; tries++) {
    const move = MOVES[ctx.rng.int(0, MOVES.length - 1)]!;
    if (move(s, ctx)) applied++;
  }
}
