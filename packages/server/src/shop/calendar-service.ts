import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { loadCalendarExceptions, loadShiftRules } from './calendar-queries.js';
import { ShopCalendar } from './calendar-shop.js';
import type { ShiftOccurrence, UtcInterval } from './calendar-walk.js';

/** The rows a calendar is built from, with the table generations they were read at. */
export interface CalendarCache {
  gens?: string;
  rows?: Promise<{ shifts: ShopCalendar['shifts']; exceptions: ShopCalendar['exceptions'] }>;
  byZone: Map<string, ShopCalendar>;
}

// One cache per database handle until the composition root passes its own: callers that
// construct a service per request still share the rows and memoised answers.
const perDatabase = new WeakMap<Db, CalendarCache>();

function cacheOf(db: Db): CalendarCache {
  let c = perDatabase.get(db);
  if (!c) {
    c = { byZone: new Map() };
    perDatabase.set(db, c);
  }
  return c;
}

export interface WorkingTimeWindow {
  workCenterId: string;
  /** false: no shift rule, always open */
  hasShifts: boolean;
  intervals: UtcInterval[];
  shifts: ShiftOccurrence[];
}

/**
 * Working time of the shop for everyone who needs it (planner, move, promise, dispatch,
 * analysis, the web planner through its endpoint). Rows are re-read only when the
 * shift_calendars or calendar_exceptions generation moved (bumped by triggers on every write,
 * migration 0007), so a shift edit is seen by the next read on every replica, and a read
 * without a change costs one tiny query.
 */
export class CalendarService {
  constructor(
    private readonly db: Db,
    readonly timeZone: string,
    private readonly cache: CalendarCache = cacheOf(db),
  ) {}

  /** The current calendar of the shop. */
  async calendar(): Promise<ShopCalendar> {
    const res = (await this.db.execute(
      sql`SELECT table_name, gen FROM table_generations WHERE table_name IN ('shift_calendars', 'calendar_exceptions') ORDER BY table_name`,
    )) as unknown as { rows: Array<{ table_name: string; gen: string | number }> };
    const gens = res.rows.map((r) => `${r.table_name}:${r.gen}`).join(',');
    const c = this.cache;
    if (c.gens !== gens || !c.rows) {
      c.gens = gens;
      c.byZone.clear();
      const rows = Promise.all([loadShiftRules(this.db), loadCalendarExceptions(this.db, '0001-01-01')]).then(
        ([shifts, exceptions]) => ({ shifts, exceptions }),
      );
      c.rows = rows;
      // a failed read must not stay cached
      rows.catch(() => {
        if (c.rows === rows) c.rows = undefined;
      });
    }
    const rows = await c.rows;
    let cal = c.byZone.get(this.timeZone);
    if (!cal) {
      cal = new ShopCalendar(rows.shifts, rows.exceptions, this.timeZone);
      c.byZone.set(this.timeZone, cal);
    }
    return cal;
  }

  /** Per center: working intervals (UTC ms, merged, sorted) and shift occurrences in [fromMs, toMs). */
  async window(workCenterIds: readonly string[], fromMs: number, toMs: number): Promise<WorkingTimeWindow[]> {
    const cal = await this.calendar();
    return workCenterIds.map((id) => {
      const ivs = cal.workingIntervals(id, fromMs, toMs);
      return {
        workCenterId: id,
        hasShifts: ivs !== null,
        intervals: ivs === null ? [[fromMs, toMs]] : ivs.map(([a, b]) => [a, b] as UtcInterval),
        shifts: cal.occurrences(id, fromMs, toMs),
      };
    });
  }
}
