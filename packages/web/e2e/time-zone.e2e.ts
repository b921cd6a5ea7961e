/**
 * Shop time zone arithmetic of the web app (pure functions, no browser): formatting, local
 * midnights and weeks across the 2026 daylight-saving change in Chicago, and non-working shading.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, fmt, fromLocalInput, localToUtc, mondayOf, offsetMinutes, setShopZone } from '../src/format';
import { nonWorkingTime } from '../src/pages/planner/calendar';

const iso = (ms: number) => new Date(ms).toISOString();

describe('shop time zone', () => {
  afterAll(() => setShopZone('UTC'));

  it('formats instants in the shop zone, with daylight saving', () => {
    setShopZone('America/Chicago');
    expect(fmt('2026-07-01T12:00:00Z')).toBe('2026-07-01 07:00'); // CDT, UTC-5
    expect(fmt('2026-12-01T12:00:00Z')).toBe('2026-12-01 06:00'); // CST, UTC-6
    expect(offsetMinutes(Date.parse('2026-07-01T12:00:00Z'))).toBe(-300);
    expect(fmt(null)).toBe('—');
    setShopZone('UTC');
    expect(fmt('2026-07-01T12:00:00Z')).toBe('2026-07-01 12:00');
  });

  it('turns wall-clock times into instants around the autumn change (2026-11-01 02:00 CDT -> 01:00 CST)', () => {
    setShopZone('America/Chicago');
    expect(iso(localToUtc(2026, 10, 31, 6 * 60))).toBe('2026-10-31T11:00:00.000Z');
    expect(iso(localToUtc(2026, 11, 2, 6 * 60))).toBe('2026-11-02T12:00:00.000Z');
    // the repeated hour takes its first occurrence
    expect(iso(localToUtc(2026, 11, 1, 90))).toBe('2026-11-01T06:30:00.000Z');
    // a spring-forward gap (2026-03-08 02:30 does not exist) lands after it
    expect(iso(localToUtc(2026, 3, 8, 150))).toBe('2026-03-08T08:30:00.000Z');
    expect(fromLocalInput('2026-12-24T16:30')).toBe('2026-12-24T22:30:00.000Z');
  });

  it('finds Monday midnight and adds calendar days, not 24-hour blocks', () => {
    setShopZone('America/Chicago');
    // Wednesday 2026-11-04 03:00 UTC is Tuesday evening in Chicago: the week starts Monday 2 November.
    const monday = mondayOf(new Date('2026-11-04T03:00:00Z'));
    expect(iso(monday.getTime())).toBe('2026-11-02T06:00:00.000Z');
    // the week before has 169 hours (the autumn change): its Monday midnight is still at local 00:00
    expect(iso(addDays(monday, -7).getTime())).toBe('2026-10-26T05:00:00.000Z');
  });

  it('shades the complement of the working time the server answers', () => {
    // Working time comes from GET /api/v1/working-time (the server's shop calendar, tested there
    // across daylight saving); the browser only shades what lies between its intervals.
    const from = Date.parse('2026-10-30T00:00:00Z');
    const to = Date.parse('2026-11-03T00:00:00Z');
    const working = [
      { start: Date.parse('2026-10-30T11:00:00Z'), end: Date.parse('2026-10-30T19:30:00Z') },
      { start: Date.parse('2026-11-02T12:00:00Z'), end: Date.parse('2026-11-02T20:30:00Z') },
    ];
    expect(nonWorkingTime(working, from, to).map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ['2026-10-30T00:00:00.000Z', '2026-10-30T11:00:00.000Z'],
      ['2026-10-30T19:30:00.000Z', '2026-11-02T12:00:00.000Z'],
      ['2026-11-02T20:30:00.000Z', '2026-11-03T00:00:00.000Z'],
    ]);
    expect(nonWorkingTime([{ start: from, end: to }], from, to)).toEqual([]);
  });
});
