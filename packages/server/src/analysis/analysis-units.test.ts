import { describe, expect, it } from 'vitest';
import { buckets, isoWeekKey } from './bottlenecks/buckets.js';
import { CenterCalendar } from './calendar.js';
import { formatInstant, formatList, formatMinutes, formatRange } from './format.js';

const at = (iso: string) => Date.parse(iso);

describe('analysis building blocks', () => {
  it('formats instants, ranges and durations in the shop time zone', () => {
    expect(formatInstant(at('2026-11-25T14:00:00Z'), 'America/Chicago')).toBe('Wed 25 Nov 08:00');
    expect(formatRange(at('2026-11-25T14:00:00Z'), at('2026-11-25T15:10:00Z'), 'America/Chicago')).toBe(
      'Wed 25 Nov 08:00-09:10',
    );
    expect(formatRange(at('2026-11-25T20:00:00Z'), at('2026-11-26T13:00:00Z'), 'UTC')).toBe(
      'Wed 25 Nov 20:00 - Thu 26 Nov 13:00',
    );
    expect([
      formatMinutes(40),
      formatMinutes(130),
      formatMinutes(60),
      formatMinutes(3930),
      formatMinutes(2400, 'h'),
    ]).toEqual(['40 min', '2 h 10 min', '1 h', '2 d 17 h 30 min', '40 h']);
    expect(formatList(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 5)).toBe('a, b, c, d, e and 2 more');
  });

  it('numbers ISO weeks across the year end', () => {
    expect(isoWeekKey(2026, 11, 30)).toBe('2026-W49');
    expect(isoWeekKey(2027, 1, 1)).toBe('2026-W53');
    expect(isoWeekKey(2024, 12, 30)).toBe('2025-W01');
  });

  it('cuts days at local midnight, 25 hours on the day clocks fall back', () => {
    // America/Chicago leaves daylight saving time on Sun 1 Nov 2026.
    const { days, weeks } = buckets(at('2026-10-31T05:00:00Z'), at('2026-11-03T06:00:00Z'), 'America/Chicago');
    expect(days.map((d) => [d.key, (d.end - d.start) / 3_600_000])).toEqual([
      ['2026-10-31', 24],
      ['2026-11-01', 25],
      ['2026-11-02', 24],
    ]);
    expect(weeks.map((w) => w.key)).toEqual(['2026-W44', '2026-W45']);
  });

  it('counts working minutes and knows when work may start and end', () => {
    const cal = new CenterCalendar([
      [at('2026-11-30T06:00:00Z'), at('2026-11-30T14:00:00Z')],
      [at('2026-12-01T06:00:00Z'), at('2026-12-01T14:00:00Z')],
    ]);
    expect(cal.workingMs(at('2026-11-30T13:00:00Z'), at('2026-12-01T07:00:00Z')) / 60_000).toBe(120);
    expect(cal.isWorkingAt(at('2026-11-30T14:00:00Z'))).toBe(false);
    expect(cal.isWorkingUntil(at('2026-11-30T14:00:00Z'))).toBe(true);
    expect(cal.isWorkingUntil(at('2026-12-01T06:00:00Z'))).toBe(false);
    expect(cal.nextWorkingStart(at('2026-11-30T15:00:00Z'))).toBe(at('2026-12-01T06:00:00Z'));
    expect(new CenterCalendar(null).workingMs(0, 60_000)).toBe(60_000);
  });
});
