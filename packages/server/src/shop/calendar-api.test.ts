import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { CalendarService } from './calendar-service.js';

// Mon 2026-11-30 .. ; the test app's shop time zone is its default (UTC in tests).
describe('shop calendar: breaks, the working-time endpoint and the cache', () => {
  let t: TestApp;
  let shiftId: string;
  let version: number;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
  });
  afterAll(async () => t.close());

  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.admin), payload });
  const get = (url: string, role: keyof TestApp['tokens'] = 'operator') =>
    t.app.inject({ method: 'GET', url, headers: bearer(t.tokens[role]) });
  const shift = {
    name: 'Day',
    workCenterId: 'WELD-01',
    dayOfWeek: 0,
    shiftNumber: 1,
    startTime: '06:00',
    endTime: '14:30',
  };

  it('refuses breaks outside the shift or overlapping, naming the break', async () => {
    const outside = await post('/api/v1/shift-calendars', { ...shift, breaks: [{ start: '05:00', end: '06:30' }] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ field: 'breaks[0]' });
    const overlap = await post('/api/v1/shift-calendars', {
      ...shift,
      breaks: [
        { start: '09:00', end: '09:30' },
        { start: '09:15', end: '09:45' },
      ],
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json()).toMatchObject({ field: 'breaks[1]' });
    const badTime = await post('/api/v1/shift-calendars', { ...shift, breaks: [{ start: '9h', end: '09:45' }] });
    expect(badTime.statusCode).toBe(400);
    expect(JSON.stringify(badTime.json())).toContain('breaks');
  });

  it('stores breaks and answers working time without them, per center', async () => {
    const res = await post('/api/v1/shift-calendars', {
      ...shift,
      breaks: [
        { start: '09:00', end: '09:15' },
        { start: '11:30', end: '12:00' },
        { start: '13:00', end: '13:15' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const row = res.json() as { id: string; version: number; breaks: unknown[] };
    expect(row.breaks).toHaveLength(3);
    shiftId = row.id;
    version = row.version;

    const wt = await get(
      '/api/v1/working-time?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z&workCenterId=WELD-01,WELD-02',
    );
    expect(wt.statusCode).toBe(200);
    const body = wt.json() as {
      workCenters: Array<{
        workCenterId: string;
        hasShifts: boolean;
        intervals: Array<{ start: string; end: string }>;
        shifts: Array<{ workingMinutes: number; breaks: unknown[] }>;
      }>;
    };
    const [weld1, weld2] = body.workCenters;
    expect(weld1!.intervals.map((i) => `${i.start.slice(11, 16)}-${i.end.slice(11, 16)}`)).toEqual([
      '06:00-09:00',
      '09:15-11:30',
      '12:00-13:00',
      '13:15-14:30',
    ]);
    expect(weld1!.shifts).toMatchObject([{ workingMinutes: 450 }]);
    expect(weld1!.shifts[0]!.breaks).toHaveLength(3);
    // no shift defined: always working, as the planner treats it
    expect(weld2).toMatchObject({ workCenterId: 'WELD-02', hasShifts: false, shifts: [] });
    expect(weld2!.intervals).toEqual([{ start: '2026-11-30T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }]);
  });

  it('names the field of a bad window', async () => {
    const backwards = await get('/api/v1/working-time?from=2026-12-01T00:00:00Z&to=2026-11-30T00:00:00Z');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ field: 'to' });
    const tooLong = await get('/api/v1/working-time?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ field: 'to' });
    const notADate = await get('/api/v1/working-time?from=monday&to=2026-12-01T00:00:00Z');
    expect(notADate.statusCode).toBe(400);
    expect(JSON.stringify(notADate.json())).toContain('from');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/working-time?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(401);
  });

  it('serves repeated reads from its cache and sees a shift edit at once', async () => {
    const service = new CalendarService(t.database.db, 'UTC');
    const first = await service.calendar();
    expect(await service.calendar()).toBe(first);
    // another instance on the same database shares the cache
    expect(await new CalendarService(t.database.db, 'UTC').calendar()).toBe(first);
    const from = Date.parse('2026-11-30T00:00:00Z');
    const to = Date.parse('2026-12-01T00:00:00Z');
    expect(first.workingMinutesBetween('WELD-01', from, to)).toBe(450);

    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/shift-calendars/${shiftId}`,
      headers: bearer(t.tokens.admin),
      payload: { version, breaks: [{ start: '11:30', end: '12:00' }] },
    });
    expect(edit.statusCode).toBe(200);
    const after = await service.calendar();
    expect(after).not.toBe(first);
    expect(after.workingMinutesBetween('WELD-01', from, to)).toBe(480);

    await post('/api/v1/calendar-exceptions', { exceptionDate: '2026-11-30', exceptionType: 'holiday' });
    expect((await service.calendar()).workingMinutesBetween('WELD-01', from, to)).toBe(0);
  });
});
