import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { analysisShop } from './analysis-test-shop.js';
import type { BottleneckReport, CenterReport } from './bottlenecks/bottleneck-service.js';

/*
 * Hand-checked shop (UTC). WELD-01 and WELD-02 work Mon-Fri 06:00-14:00 (480 min, capacity 480
 * per shift); LASER-01 and BRAKE-01 have no shifts, so they are always available and their
 * capacity falls back to 480 min per weekday.
 *
 *   J-B1 (due 2027):       CUT LASER-01 Sun 20-21, CUT-LEGS LASER-01 Sun 21-22, FORM BRAKE-01 Sun 22-23, WELD WELD-01 Mon 06-10
 *   J-B2 (due Mon 12:00):  CUT LASER-01 Mon 00-01, CUT-LEGS LASER-01 Mon 01-02, FORM BRAKE-01 Mon 02-04, WELD WELD-01 Mon 10-14
 *
 * Window Mon 30 Nov .. Sat 5 Dec 00:00. WELD-01 on Monday: 240 + 240 of 480 -> 100 %; the week:
 * 480 of 2400 -> 20 %. Queue before WELD-01: J-B1 waits Sun 23:00 -> Mon 06:00 (420 min), J-B2
 * 04:00 -> 10:00 (360 min). J-B2 is 2 h late; it waited for WELD-01, busy with J-B1's WELD, which
 * followed J-B1's FORM on BRAKE-01 without a working minute in between.
 */
describe('GET /api/v1/bottlenecks', () => {
  let t: TestApp;
  let shop: ReturnType<typeof analysisShop>;
  let report: BottleneckReport;
  const window = '?from=2026-11-30T00:00:00Z&to=2026-12-05T00:00:00Z';
  const center = (id: string): CenterReport => report.workCenters.find((c) => c.id === id)!;

  beforeAll(async () => {
    t = await testApp();
    shop = analysisShop(t);
    await shop.seed();
    await shop.weekdayShifts('WELD-01');
    await shop.weekdayShifts('WELD-02');
    await t.database.exec(`UPDATE work_centers SET is_bottleneck = true WHERE id = 'LASER-01'`);
    const b1 = await shop.job('J-B1', { dueDate: '2027-06-30T22:00:00Z' });
    const b2 = await shop.job('J-B2', { dueDate: '2026-11-30T12:00:00Z' });
    await shop.slot(b1.r[10]!, 'LASER-01', '2026-11-29T20:00:00Z', '2026-11-29T21:00:00Z');
    await shop.slot(b1.r[20]!, 'LASER-01', '2026-11-29T21:00:00Z', '2026-11-29T22:00:00Z');
    await shop.slot(b1.r[30]!, 'BRAKE-01', '2026-11-29T22:00:00Z', '2026-11-29T23:00:00Z');
    await shop.slot(b1.r[40]!, 'WELD-01', '2026-11-30T06:00:00Z', '2026-11-30T10:00:00Z');
    await shop.slot(b2.r[10]!, 'LASER-01', '2026-11-30T00:00:00Z', '2026-11-30T01:00:00Z');
    await shop.slot(b2.r[20]!, 'LASER-01', '2026-11-30T01:00:00Z', '2026-11-30T02:00:00Z');
    await shop.slot(b2.r[30]!, 'BRAKE-01', '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');
    await shop.slot(b2.r[40]!, 'WELD-01', '2026-11-30T10:00:00Z', '2026-11-30T14:00:00Z');
    report = await shop.get<BottleneckReport>(`/api/v1/bottlenecks${window}`);
  });
  afterAll(async () => t.close());

  it('computes load, capacity and utilisation per work center per day and ISO week', () => {
    const weld = center('WELD-01');
    expect(weld).toMatchObject({
      capacitySource: 'calendar',
      loadMinutes: 480,
      capacityMinutes: 2400,
      utilisationPct: 20,
    });
    expect(weld.days.map((d) => [d.key, d.loadMinutes, d.capacityMinutes, d.utilisationPct])).toEqual([
      ['2026-11-30', 480, 480, 100],
      ['2026-12-01', 0, 480, 0],
      ['2026-12-02', 0, 480, 0],
      ['2026-12-03', 0, 480, 0],
      ['2026-12-04', 0, 480, 0],
    ]);
    expect(weld.weeks).toEqual([
      {
        key: '2026-W49',
        start: '2026-11-30T00:00:00.000Z',
        end: '2026-12-05T00:00:00.000Z',
        loadMinutes: 480,
        capacityMinutes: 2400,
        utilisationPct: 20,
      },
    ]);
    // No shifts: always available, capacity by the per-shift default once per weekday.
    expect(center('LASER-01')).toMatchObject({
      capacitySource: 'default',
      loadMinutes: 120,
      capacityMinutes: 2400,
      utilisationPct: 5,
    });
    expect(center('LASER-01').days[0]).toMatchObject({ loadMinutes: 120, capacityMinutes: 480, utilisationPct: 25 });
    expect(center('WELD-02')).toMatchObject({ loadMinutes: 0, capacityMinutes: 2400, utilisationPct: 0 });
  });

  it('sums departments from their work centers', () => {
    const weld = report.departments.find((d) => d.id === 'weld')!;
    expect(weld).toMatchObject({ loadMinutes: 480, capacityMinutes: 4800, utilisationPct: 10 });
    expect(weld.days[0]).toMatchObject({
      key: '2026-11-30',
      loadMinutes: 480,
      capacityMinutes: 960,
      utilisationPct: 50,
    });
    const laser = report.departments.find((d) => d.id === 'laser')!;
    expect(laser.days[0]).toMatchObject({ loadMinutes: 240, capacityMinutes: 960, utilisationPct: 25 });
    expect(laser.weeks[0]).toMatchObject({
      key: '2026-W49',
      loadMinutes: 240,
      capacityMinutes: 4800,
      utilisationPct: 5,
    });
  });

  it('measures queue time between the predecessor ending and the slot starting', () => {
    expect(center('WELD-01').queue).toEqual({ measured: 2, averageMinutes: 390, maxMinutes: 420 });
    // J-B1's FORM starts before the window; J-B2's waits 01:00 -> 02:00.
    expect(center('BRAKE-01').queue).toEqual({ measured: 1, averageMinutes: 60, maxMinutes: 60 });
    expect(center('LASER-01').queue).toEqual({ measured: 0, averageMinutes: null, maxMinutes: null });
  });

  it('walks the critical path of a late job through the machine and the routing', () => {
    expect(report.lateJobs).toHaveLength(1);
    const late = report.lateJobs[0]!;
    expect(late).toMatchObject({
      jobNumber: 'J-B2',
      dueDate: '2026-11-30T12:00:00.000Z',
      plannedEnd: '2026-11-30T14:00:00.000Z',
      lateMinutes: 120,
    });
    expect(late.criticalPath.map((s) => [s.jobNumber, s.operationCode, s.workCenterId, s.via])).toEqual([
      ['J-B2', 'WELD', 'WELD-01', 'last'],
      ['J-B1', 'WELD', 'WELD-01', 'machine'],
      ['J-B1', 'FORM', 'BRAKE-01', 'routing'],
    ]);
    expect(center('WELD-01')).toMatchObject({ lateJobsCritical: 1, lateJobNumbers: ['J-B2'] });
    expect(center('BRAKE-01')).toMatchObject({ lateJobsCritical: 1 });
    expect(center('LASER-01')).toMatchObject({ lateJobsCritical: 0 });
  });

  it('ranks by utilisation then late-job criticality and suggests bottlenecks with a reason', () => {
    expect(report.workCenters.map((c) => [c.rank, c.id, c.suggestBottleneck])).toEqual([
      [1, 'WELD-01', true],
      [2, 'BRAKE-01', true],
      [3, 'LASER-01', false],
      [4, 'WELD-02', false],
    ]);
    expect(center('WELD-01').reason).toBe(
      'WELD-01 is loaded to 20 % (8 h planned of 40 h capacity, peak 100 % on 2026-11-30) and on the critical path of 1 late job (J-B2): suggested bottleneck.',
    );
    // The configured flag is reported beside the suggestion, for comparison.
    expect(center('LASER-01')).toMatchObject({ isBottleneck: true, suggestBottleneck: false });
    expect(center('LASER-01').reason).toContain("on no late job's critical path: not a bottleneck");
  });

  it('suggests a center above 85 % utilisation in a one-day window', async () => {
    const day = await shop.get<BottleneckReport>(
      '/api/v1/bottlenecks?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z',
    );
    const weld = day.workCenters[0]!;
    expect(weld).toMatchObject({ id: 'WELD-01', utilisationPct: 100, suggestBottleneck: true });
    expect(weld.reason).toContain('loaded to 100 % (8 h planned of 8 h capacity)');
  });

  it('defaults to the next 14 days, refuses a backwards window and checks access', async () => {
    const byDefault = await shop.get<BottleneckReport>('/api/v1/bottlenecks');
    expect(Date.parse(byDefault.to) - Date.parse(byDefault.from)).toBe(14 * 86_400_000);
    expect(Math.abs(Date.parse(byDefault.from) - Date.now())).toBeLessThan(60_000);
    const backwards = await t.app.inject({
      method: 'GET',
      url: '/api/v1/bottlenecks?from=2026-12-05T00:00:00Z&to=2026-11-30T00:00:00Z',
      headers: bearer(t.tokens.supervisor),
    });
    expect(backwards.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/bottlenecks' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/bottlenecks', headers: bearer(t.tokens.operator) }))
        .statusCode,
    ).toBe(403);
  });
});
