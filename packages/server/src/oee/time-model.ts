/**
 * The ISO 22400 time model of one work center over one window, from its machine-state spans
 * and its calendar. Pure: the rollups and the API feed it what they read.
 *
 * - POT is the shift time in the window; PDOT the planned stops inside it (breaks, planned
 *   maintenance); PBT = POT - PDOT. Time outside POT never counts (no shift, holidays).
 * - Inside PBT: `running` is APT; `setup` is AUST; a stop (stopped, alarm, idle, off) while an
 *   operation is active is ADET unless it is shorter than the micro-stop threshold, when it stays
 *   in APT (a performance loss, not an availability loss); a stop with nothing active is ADOT.
 *   Time with no machine data is ADOT too, and also reported as `unknownMinutes`.
 * - The Vorne variant treats planned maintenance as an availability loss: its planned
 *   production time is POT minus breaks only.
 */

export type MachineState = 'running' | 'setup' | 'stopped' | 'alarm' | 'idle' | 'off';

export interface StateSpan {
  start: number;
  end: number;
  state: MachineState;
  /** an operation was active (started on the floor or from the schedule) during the span */
  active: boolean;
}

export interface Span {
  start: number;
  end: number;
}

export interface PlannedStop extends Span {
  kind: 'break' | 'maintenance';
}

export interface TimeModelInput {
  /** the shifts inside the window (already cut to it) */
  shifts: readonly Span[];
  plannedStops: readonly PlannedStop[];
  states: readonly StateSpan[];
  /** stops shorter than this stay in APT (ms) */
  microStopMs: number;
}

/** Minutes of each element. */
export interface TimeElements {
  pot: number;
  pdot: number;
  /** the maintenance part of PDOT (APMT) */
  apmt: number;
  pbt: number;
  apt: number;
  aust: number;
  adet: number;
  adot: number;
  /** of APT: micro-stops kept in it */
  microStops: number;
  /** of ADOT: time with no machine data */
  unknown: number;
}

const MIN = 60_000;

/** The parts of `span` inside any of `cover` (sorted, non-overlapping). */
function within(span: Span, cover: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const c of cover) {
    const start = Math.max(span.start, c.start);
    const end = Math.min(span.end, c.end);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** `spans` minus `holes` (both sorted, non-overlapping). */
function minus(spans: readonly Span[], holes: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    let cursor = s.start;
    for (const h of holes) {
      if (h.end <= cursor || h.start >= s.end) continue;
      if (h.start > cursor) out.push({ start: cursor, end: h.start });
      cursor = Math.max(cursor, h.end);
    }
    if (cursor < s.end) out.push({ start: cursor, end: s.end });
  }
  return out;
}

const sorted = <T extends Span>(xs: readonly T[]) => [...xs].sort((a, b) => a.start - b.start);
const total = (xs: readonly Span[]) => xs.reduce((sum, s) => sum + (s.end - s.start), 0) / MIN;

export function timeElements(input: TimeModelInput): TimeElements {
  const shifts = sorted(input.shifts);
  const stops = sorted(input.plannedStops.flatMap((p) => within(p, shifts).map((s) => ({ ...s, kind: p.kind }))));
  const busy = minus(shifts, stops); // PBT
  const e: TimeElements = {
    pot: total(shifts),
    pdot: total(stops),
    apmt: total(stops.filter((s) => s.kind === 'maintenance')),
    pbt: total(busy),
    apt: 0,
    aust: 0,
    adet: 0,
    adot: 0,
    microStops: 0,
    unknown: 0,
  };
  const states = sorted(input.states);
  for (const st of states) {
    // a stop is judged by its whole length, even where a break or the shift end cuts it
    const micro = st.end - st.start < input.microStopMs;
    const minutes = total(within(st, busy));
    if (minutes === 0) continue;
    if (st.state === 'running') e.apt += minutes;
    else if (st.state === 'setup') e.aust += minutes;
    else if (!st.active) e.adot += minutes;
    else if (micro) {
      e.apt += minutes;
      e.microStops += minutes;
    } else e.adet += minutes;
  }
  e.unknown = total(minus(busy, states));
  e.adot += e.unknown;
  return e;
}
