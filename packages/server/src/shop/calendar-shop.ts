import { CalendarIndex, type Interval } from '@kerf/solver';
import {
  centerWorkingIntervals,
  shiftOccurrences,
  type CalendarException,
  type ShiftOccurrence,
  type ShiftRule,
  type UtcInterval,
} from './calendar-walk.js';

const MINUTE = 60_000;
const MEMO_LIMIT = 2000;

/**
 * The shop's working time from one set of shift rules and exceptions, in one time zone: what
 * every module asks (working intervals, shift occurrences with their breaks and capacity, the
 * solver's CalendarIndex). Answers are memoised by the center's calendar signature (its rules
 * and exception dates), so the many centers that share a calendar are walked once.
 */
export class ShopCalendar {
  private readonly shiftsOf = new Map<string, ShiftRule[]>();
  private readonly signatures = new Map<string, string>();
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly shifts: readonly ShiftRule[],
    readonly exceptions: readonly CalendarException[],
    readonly timeZone: string,
  ) {
    for (const s of shifts) this.shiftsOf.set(s.workCenterId, [...(this.shiftsOf.get(s.workCenterId) ?? []), s]);
  }

  /** false: the center has no shift rule, so it is always open (a center not set up yet) */
  hasShifts(workCenterId: string): boolean {
    return this.shiftsOf.has(workCenterId);
  }

  private signature(workCenterId: string): string {
    let sig = this.signatures.get(workCenterId);
    if (sig === undefined) {
      const rules = (this.shiftsOf.get(workCenterId) ?? []).map((s) => [
        s.dayOfWeek,
        s.startTime,
        s.endTime,
        s.isActive,
        s.breaks ?? [],
      ]);
      const days = this.exceptions
        .filter((e) => e.workCenterId === null || e.workCenterId === workCenterId)
        .map((e) => e.exceptionDate);
      sig = JSON.stringify([rules.map((r) => JSON.stringify(r)).sort(), days.sort()]);
      this.signatures.set(workCenterId, sig);
    }
    return sig;
  }

  private remember<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /** Each shift overlapping [fromMs, toMs), with its breaks and working minutes. */
  occurrences(workCenterId: string, fromMs: number, toMs: number): ShiftOccurrence[] {
    return this.remember(`o|${workCenterId}|${fromMs}|${toMs}`, () =>
      shiftOccurrences(
        this.shiftsOf.get(workCenterId) ?? [],
        this.exceptions,
        workCenterId,
        fromMs,
        toMs,
        this.timeZone,
      ),
    );
  }

  /** Worked UTC intervals inside [fromMs, toMs), merged and sorted; null for an always-open center. */
  workingIntervals(workCenterId: string, fromMs: number, toMs: number): readonly UtcInterval[] | null {
    return this.remember(`w|${this.signature(workCenterId)}|${fromMs}|${toMs}`, () =>
      centerWorkingIntervals(
        this.shiftsOf.get(workCenterId) ?? [],
        this.exceptions,
        workCenterId,
        fromMs,
        toMs,
        this.timeZone,
      ),
    );
  }

  /** The working intervals in whole minutes from t0, as the solver's calendars are written. */
  minuteIntervals(workCenterId: string, t0: number, toMs: number): Interval[] | null {
    const ivs = this.workingIntervals(workCenterId, t0, toMs);
    return ivs === null
      ? null
      : ivs.map(([a, b]) => [Math.round((a - t0) / MINUTE), Math.round((b - t0) / MINUTE)] as const);
  }

  /** The solver's index over [t0, toMs) in minutes from t0; always open without shifts. */
  calendarIndex(workCenterId: string, t0: number, toMs: number): CalendarIndex {
    return this.remember(
      `i|${this.signature(workCenterId)}|${t0}|${toMs}`,
      () => new CalendarIndex(this.minuteIntervals(workCenterId, t0, toMs)),
    );
  }

  /** Working minutes of a center in [fromMs, toMs) (the window's length for an always-open center). */
  workingMinutesBetween(workCenterId: string, fromMs: number, toMs: number): number {
    if (toMs <= fromMs) return 0;
    const ivs = this.workingIntervals(workCenterId, fromMs, toMs);
    if (ivs === null) return (toMs - fromMs) / MINUTE;
    return ivs.reduce((sum, [a, b]) => sum + b - a, 0) / MINUTE;
  }
}
