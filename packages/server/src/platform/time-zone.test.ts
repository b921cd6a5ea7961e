import { describe, expect, it, vi } from 'vitest';
import { localToUtc, zoneOffsetMs } from './time-zone.js';

const MINUTE = 60_000;

/**
 * The offset as Intl names it ("GMT+10:30"), read another way than the code under test reads it
 * (wall-clock parts), and without its hour cache.
 */
function intlOffset(utcMs: number, timeZone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(utcMs))
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!m) return 0; // plain "GMT"
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * MINUTE;
}

describe('zoneOffsetMs (cached per UTC hour)', () => {
  // Chicago changes on a whole UTC hour; Lord Howe Island by 30 minutes at 15:30 UTC (inside an
  // hour); Kathmandu has a 45-minute offset and no change.
  const cases: Array<[string, string]> = [
    ['America/Chicago', '2026-03-08T06:00:00Z'],
    ['America/Chicago', '2026-11-01T05:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T13:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T14:00:00Z'],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
  ];
  it.each(cases)('%s around %s agrees with Intl at every minute, asked twice', (zone, around) => {
    const from = Date.parse(around);
    for (let pass = 0; pass < 2; pass++) {
      for (let t = from; t < from + 4 * 60 * MINUTE; t += MINUTE) {
        expect(zoneOffsetMs(t, zone), `${zone} ${new Date(t).toISOString()}`).toBe(intlOffset(t, zone));
      }
    }
  });

  it('places a Lord Howe 06:00 shift at the right instant on both sides of its 30-minute change', () => {
    // 2026-04-05: +11:00 until 02:00 local, then +10:30.
    expect(new Date(localToUtc(2026, 4, 4, 6 * 60, 'Australia/Lord_Howe')).toISOString()).toBe(
      '2026-04-03T19:00:00.000Z',
    );
    expect(new Date(localToUtc(2026, 4, 5, 6 * 60, 'Australia/Lord_Howe')).toISOString()).toBe(
      '2026-04-04T19:30:00.000Z',
    );
  });

  it('answers UTC without asking Intl', () => {
    const asked = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      expect(zoneOffsetMs(Date.parse('2026-07-01T12:34:00Z'), 'UTC')).toBe(0);
      expect(asked).not.toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
  });
});
