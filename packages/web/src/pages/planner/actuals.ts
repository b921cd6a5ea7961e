/**
 * Actual against planned: what the floor reported (a slot's actual start and end, set by floor
 * transactions) drawn as a thin bar along the bottom of the planned bar's row, and the variance
 * lines of the tooltip. Plain objects for vis-timeline, no React.
 */
import type { DataItem } from 'vis-timeline';
import type { Slot } from '../../api/models';
import { fmt } from '../../format';

/** Actual bars share the id space of the dataset with the planned bars; this prefix keeps them apart. */
const PREFIX = 'actual:';
export const actualId = (slotId: string) => `${PREFIX}${slotId}`;
export const isActualId = (id: string | number) => String(id).startsWith(PREFIX);

const MINUTE = 60_000;

export interface Actual {
  start: number;
  /** the reported end, or now while the operation runs */
  end: number;
  running: boolean;
  /** actual start minus planned start, minutes (negative: early) */
  startVariance: number;
  /**
   * actual end minus planned end, minutes; while running, the end it cannot beat (now, or the
   * actual start plus the planned duration if that is later) minus planned end
   */
  endVariance: number;
  late: boolean;
}

/** The actual of a started slot at `now`, or null when the floor has not started it. */
export function actualOf(slot: Slot, now: number): Actual | null {
  if (!slot.actualStart) return null;
  const start = Date.parse(slot.actualStart);
  const plannedStart = Date.parse(slot.plannedStart);
  const plannedEnd = Date.parse(slot.plannedEnd);
  const running = !slot.actualEnd;
  const end = running ? Math.max(now, start) : Date.parse(slot.actualEnd!);
  // Running work finishes no earlier than now, nor before it has had its planned duration.
  const endAtBest = running ? Math.max(end, start + (plannedEnd - plannedStart)) : end;
  // Variances in whole minutes (floor times are to the second); late is a positive rounded end
  // variance, so the colour and the tooltip's number always agree.
  const endVariance = Math.round((endAtBest - plannedEnd) / MINUTE);
  return {
    start,
    end,
    running,
    startVariance: Math.round((start - plannedStart) / MINUTE),
    endVariance,
    late: endVariance > 0,
  };
}

const signed = (m: number) => (m === 0 ? 'on time' : m > 0 ? `+${m} min late` : `${-m} min early`);

/** Tooltip lines (HTML; `zone` escaped by the caller) for planned against actual; none before the floor starts the slot. */
export function actualLines(a: Actual | null, zone: string): string[] {
  if (!a) return [];
  const endText = a.running ? `running (now ${fmt(a.end)})` : fmt(a.end);
  return [
    `Actual: ${fmt(a.start)} → ${endText} ${zone}`,
    `Start variance: ${signed(a.startVariance)}`,
    a.running ? `End variance: ${signed(a.endVariance)} at best (running)` : `End variance: ${signed(a.endVariance)}`,
  ];
}

/** The actual bar of a started slot: not draggable, not selectable, in the planned bar's row. */
export function actualItem(slot: Slot, a: Actual, group: string, title: string): DataItem {
  return {
    id: actualId(slot.id),
    group,
    start: a.start,
    end: a.end,
    type: 'range',
    // a blank line of the planned bars' type: the bar gets their height, its stripe sits at their bottom
    content: '&nbsp;',
    className: `actual ${a.late ? 'actual-late' : 'actual-on-time'}${a.running ? ' running' : ''}`,
    editable: false,
    selectable: false,
    title,
  };
}

/** The slot a bar in the dataset draws (its own id for a planned bar). */
export const slotIdOf = (id: string | number) => (isActualId(id) ? String(id).slice(PREFIX.length) : String(id));
