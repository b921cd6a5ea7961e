import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { analysisShop } from './analysis-test-shop.js';
import { findConflicts } from './conflicts/conflict-service.js';
import type { Conflict, ConflictKind } from './conflicts/types.js';

interface Report {
  total: number;
  counts: Record<ConflictKind, number>;
  items: Conflict[];
}

// One shop for the file (every centre works Mon-Fri 06:00-14:00 UTC, SS304 16ga in stock);
// each test plans its own jobs in the week of Mon 30 Nov 2026, and afterEach cancels every slot
// and job, so each test starts from an empty plan (which also shows cancelled work is ignored).
describe('GET /api/v1/conflicts', () => {
  let t: TestApp;
  let shop: ReturnType<typeof analysisShop>;
  const conflicts = (query = '') => shop.get<Report>(`/api/v1/conflicts${query}`);
  const only = async (kind: ConflictKind) => (await conflicts(`?kind=${kind}`)).items;
  /** a job with CUT, CUT-LEGS, FORM and WELD planned cleanly on Mon 30 Nov */
  const plannedJob = async (jobNumber: string) => {
    const job = await shop.job(jobNumber);
    const slots: Record<number, string> = {};
    slots[10] = await shop.slot(job.r[10]!, 'LASER-01', '2026-11-30T06:00:00Z', '2026-11-30T07:00:00Z');
    slots[20] = await shop.slot(job.r[20]!, 'LASER-01', '2026-11-30T07:00:00Z', '2026-11-30T07:30:00Z');
    slots[30] = await shop.slot(job.r[30]!, 'BRAKE-01', '2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z');
    slots[40] = await shop.slot(job.r[40]!, 'WELD-02', '2026-11-30T08:00:00Z', '2026-11-30T10:00:00Z');
    return { ...job, slots };
  };

  beforeAll(async () => {
    t = await testApp();
    shop = analysisShop(t);
    await shop.seed();
    for (const wc of ['LASER-01', 'BRAKE-01', 'WELD-01', 'WELD-02']) await shop.weekdayShifts(wc);
    await shop.stock('SS304', 0.0598, 10);
  });
  afterEach(async () => {
    await t.database.exec(
      `UPDATE schedule_slots SET status = 'cancelled'; UPDATE jobs SET status = 'cancelled'; UPDATE work_centers SET is_active = true`,
    );
  });
  afterAll(async () => t.close());

  it('finds nothing in a clean schedule, including a slot that pauses overnight', async () => {
    await plannedJob('J-C1');
    const c2 = await shop.job('J-C2');
    // 13:30 Mon to 06:30 Tue: 30 min before the shift ends, 30 min after the next starts.
    await shop.slot(c2.r[10]!, 'LASER-01', '2026-11-30T13:30:00Z', '2026-12-01T06:30:00Z');
    const report = await conflicts();
    expect(report.items).toEqual([]);
    expect(report.total).toBe(0);
  });

  it('overlap: two slots on one work center, each pair once, explained with both steps', async () => {
    const o1 = await plannedJob('J-O1');
    const o2 = await shop.job('J-O2');
    const clash = await shop.sqlSlot(o2.r[10]!, 'LASER-01', '2026-11-30T06:30:00Z', '2026-11-30T07:10:00Z');
    const items = await only('overlap');
    expect(items).toHaveLength(2);
    const [first, second] = items;
    expect(first).toMatchObject({
      kind: 'overlap',
      severity: 'error',
      workCenterId: 'LASER-01',
      slotIds: [o1.slots[10], clash],
      jobNumbers: ['J-O1', 'J-O2'],
    });
    expect(first!.jobIds).toEqual([o1.id, o2.id]);
    expect(first!.explanation).toBe(
      'LASER-01 is booked twice on Mon 30 Nov 06:00-07:10: J-O1 CUT (Mon 30 Nov 06:00-07:00) and J-O2 CUT (Mon 30 Nov 06:30-07:10) overlap by 30 min.',
    );
    expect(second).toMatchObject({ slotIds: [clash, o1.slots[20]] });
    expect(second!.explanation).toContain('J-O1 CUT-LEGS');
    expect(second!.explanation).toContain('overlap by 10 min');
  });

  it('outside_working_time: a Saturday slot is an error, one running past the shift end a warning', async () => {
    const w1 = await shop.job('J-W1');
    const saturday = await shop.slot(w1.r[10]!, 'LASER-01', '2026-12-05T08:00:00Z', '2026-12-05T09:00:00Z');
    const late = await shop.slot(w1.r[30]!, 'BRAKE-01', '2026-12-01T13:00:00Z', '2026-12-01T15:00:00Z');
    const items = await only('outside_working_time');
    expect(items.map((c) => [c.slotIds[0], c.severity])).toEqual([
      [saturday, 'error'],
      [late, 'warning'],
    ]);
    expect(items[0]!.explanation).toBe(
      'J-W1 CUT is planned on LASER-01 Sat 05 Dec 08:00-09:00 outside working time: it starts outside its shifts (next shift starts Mon 07 Dec 06:00) ' +
        'and it ends at Sat 05 Dec 09:00, when no shift is running; 0 min of its 1 h fall in working time.',
    );
    expect(items[1]!.explanation).toBe(
      'J-W1 FORM is planned on BRAKE-01 Tue 01 Dec 13:00-15:00 outside working time: it ends at Tue 01 Dec 15:00, when no shift is running; 1 h of its 2 h fall in working time.',
    );
    expect(items[1]!.jobNumbers).toEqual(['J-W1']);
  });

  it('precedence: a step planned before the step it depends on ends', async () => {
    const p1 = await shop.job('J-P1');
    const form = await shop.slot(p1.r[30]!, 'BRAKE-01', '2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z');
    const weld = await shop.slot(p1.r[40]!, 'WELD-01', '2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z');
    const items = await only('precedence');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      severity: 'error',
      workCenterId: 'WELD-01',
      slotIds: [weld, form],
      jobNumbers: ['J-P1'],
      from: '2026-11-30T09:00:00.000Z',
      to: '2026-11-30T11:00:00.000Z',
    });
    expect(items[0]!.explanation).toBe(
      'J-P1 WELD (step 40) starts Mon 30 Nov 09:00 on WELD-01, 2 h before J-P1 FORM (step 30), which must finish first, ends Mon 30 Nov 11:00 on BRAKE-01.',
    );
  });

  it('wrong_type: a laser step on a welding station', async () => {
    const t1 = await shop.job('J-T1');
    const wrong = await shop.sqlSlot(t1.r[10]!, 'WELD-01', '2026-11-30T06:00:00Z', '2026-11-30T07:00:00Z');
    const items = await only('wrong_type');
    expect(items).toEqual([
      expect.objectContaining({
        severity: 'error',
        workCenterId: 'WELD-01',
        slotIds: [wrong],
        jobIds: [t1.id],
        jobNumbers: ['J-T1'],
      }),
    ]);
    expect(items[0]!.explanation).toBe(
      'J-T1 CUT is planned on WELD-01 (Mon 30 Nov 06:00-07:00), a weld work center, but the step needs a laser.',
    );
  });

  it('late_job: the last planned step ends after the due date', async () => {
    const rush = await shop.job('J-L1', { dueDate: '2026-11-30T12:00:00Z' });
    await shop.slot(rush.r[10]!, 'LASER-01', '2026-11-30T08:00:00Z', '2026-11-30T09:00:00Z');
    const last = await shop.slot(rush.r[40]!, 'WELD-01', '2026-11-30T12:00:00Z', '2026-11-30T14:00:00Z');
    const items = await only('late_job');
    expect(items).toEqual([
      expect.objectContaining({
        severity: 'warning',
        workCenterId: 'WELD-01',
        slotIds: [last],
        jobIds: [rush.id],
        jobNumbers: ['J-L1'],
      }),
    ]);
    expect(items[0]!.explanation).toBe(
      'J-L1 is due Mon 30 Nov 12:00 but its last step, WELD on WELD-01, ends Mon 30 Nov 14:00: 2 h late.',
    );
  });

  it('overloaded_shift: more planned working minutes in one shift than its length less its breaks', async () => {
    await shop.post('/api/v1/work-centers', {
      id: 'LASER-02',
      name: 'Fiber laser 2',
      departmentId: 'laser',
      machineType: 'laser',
      // not the bound: a center with shifts has the capacity its shifts give (90 min here)
      capacityMinutesPerShift: 60,
    });
    await shop.weekdayShifts('LASER-02', '06:00', '08:00', [{ start: '07:00', end: '07:30' }]);
    const s1 = await shop.job('J-S1');
    // One slot across the break, as the planner places it: 90 working minutes fill the shift exactly.
    const whole = await shop.slot(s1.r[10]!, 'LASER-02', '2026-11-30T06:00:00Z', '2026-11-30T08:00:00Z');
    expect(await only('overloaded_shift')).toEqual([]);
    // A second slot over it (30 working minutes, the rest is the break) overfills it.
    const cut = whole;
    const legs = await shop.sqlSlot(s1.r[20]!, 'LASER-02', '2026-11-30T06:30:00Z', '2026-11-30T07:30:00Z');
    const items = await only('overloaded_shift');
    expect(items).toEqual([
      expect.objectContaining({
        severity: 'warning',
        workCenterId: 'LASER-02',
        slotIds: [cut, legs],
        jobNumbers: ['J-S1'],
        from: '2026-11-30T06:00:00.000Z',
        to: '2026-11-30T08:00:00.000Z',
      }),
    ]);
    expect(items[0]!.explanation).toBe(
      'LASER-02 shift 1 (Day) on Mon 30 Nov 06:00-08:00 has 2 h planned against a capacity of 1 h 30 min per shift (30 min over): J-S1 CUT and J-S1 CUT-LEGS.',
    );
  });

  it('material_short: parts of planned jobs with no sheet of their material and thickness in stock', async () => {
    const parts = [{ partNumber: 'BRKT-1', quantity: 6, materialCode: 'AL5052', thickness: 0.125 }];
    const m1 = await shop.job('J-M1', { parts });
    const m2 = await shop.job('J-M2', { parts: [{ ...parts[0], quantity: 2 }] });
    const cut = await shop.slot(m1.r[10]!, 'LASER-01', '2026-12-01T06:00:00Z', '2026-12-01T07:00:00Z');
    await shop.stock('AL5052', 0.125, 0); // a stock row at zero is as short as none
    await shop.stock('AL5052', 0.25, 5); // another thickness does not help
    const items = await only('material_short');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      severity: 'error',
      workCenterId: 'LASER-01',
      slotIds: [cut],
      jobIds: [m1.id, m2.id],
      jobNumbers: ['J-M1', 'J-M2'],
    });
    expect(items[0]!.explanation).toBe(
      'No sheet of AL5052 0.125 in is in stock (its only stock row is at 0 sheets), but J-M1 (6) and J-M2 (2) need 8 parts of it; first needed Tue 01 Dec 06:00 for J-M1 CUT on LASER-01.',
    );
    // In progress: the sheets are cut already, so the job no longer needs stock.
    await t.database.exec(`UPDATE jobs SET status = 'in_progress' WHERE job_number IN ('J-M1', 'J-M2')`);
    expect(await only('material_short')).toEqual([]);
  });

  it('work_center_down: an inactive work center that still has slots', async () => {
    const d1 = await shop.job('J-D1');
    const weld = await shop.slot(d1.r[40]!, 'WELD-01', '2026-11-30T11:00:00Z', '2026-11-30T13:00:00Z');
    await t.database.exec(`UPDATE work_centers SET is_active = false WHERE id = 'WELD-01'`);
    const items = await only('work_center_down');
    expect(items).toEqual([
      expect.objectContaining({
        severity: 'error',
        workCenterId: 'WELD-01',
        slotIds: [weld],
        jobIds: [d1.id],
        jobNumbers: ['J-D1'],
      }),
    ]);
    expect(items[0]!.explanation).toBe(
      'WELD-01 (TIG 1) is switched off (inactive) but has 1 slot planned Mon 30 Nov 11:00-13:00: J-D1 WELD.',
    );
  });

  it('reads shifts and writes times in the shop time zone', async () => {
    const z1 = await shop.job('J-Z1');
    // 07:00-08:00 UTC is inside the 06:00-14:00 shift in UTC, but 01:00-02:00 in Chicago.
    await shop.slot(z1.r[10]!, 'LASER-01', '2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z');
    expect(await only('outside_working_time')).toEqual([]);
    const chicago = await findConflicts(t.database.db, 'America/Chicago', { kind: 'outside_working_time' });
    expect(chicago.items.map((c) => c.explanation)).toEqual([
      'J-Z1 CUT is planned on LASER-01 Mon 30 Nov 01:00-02:00 outside working time: it starts outside its shifts (next shift starts Mon 30 Nov 06:00) ' +
        'and it ends at Mon 30 Nov 02:00, when no shift is running; 0 min of its 1 h fall in working time.',
    ]);
  });

  it('filters by kind, work center and window; ignores cancelled slots; checks access', async () => {
    await plannedJob('J-F1');
    const f2 = await shop.job('J-F2');
    const clash = await shop.sqlSlot(f2.r[10]!, 'LASER-01', '2026-11-30T06:30:00Z', '2026-11-30T06:50:00Z');
    await shop.slot(f2.r[30]!, 'BRAKE-01', '2026-12-05T08:00:00Z', '2026-12-05T09:00:00Z');
    const all = await conflicts();
    expect(all.counts).toMatchObject({ overlap: 1, outside_working_time: 1, precedence: 0 });
    expect(all.total).toBe(2);
    expect(all.items.every((c) => c.severity === 'error')).toBe(true);
    expect((await conflicts('?workCenterId=BRAKE-01')).items.map((c) => c.kind)).toEqual(['outside_working_time']);
    expect((await conflicts('?from=2026-12-01T00:00:00Z')).items.map((c) => c.kind)).toEqual(['outside_working_time']);
    expect((await conflicts('?to=2026-12-01T00:00:00Z')).items.map((c) => c.kind)).toEqual(['overlap']);
    await t.database.exec(`UPDATE schedule_slots SET status = 'cancelled' WHERE id = '${clash}'`);
    expect((await conflicts('?kind=overlap')).total).toBe(0);
    const backwards = await t.app.inject({
      method: 'GET',
      url: '/api/v1/conflicts?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z',
      headers: bearer(t.tokens.operator),
    });
    expect(backwards.statusCode).toBe(400);

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/conflicts' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/conflicts', headers: bearer(t.tokens.operator) })).statusCode,
    ).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/conflicts?kind=nonsense',
          headers: bearer(t.tokens.operator),
        })
      ).statusCode,
    ).toBe(400);
  });
});
