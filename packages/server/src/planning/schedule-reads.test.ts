import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../test/harness.js';
import { isSlotStatusIn, readScheduleSlots, SLOT_STATUS_CLASSES } from './schedule-reads.js';

const at = (hhmm: string) => new Date(`2026-12-07T${hhmm}:00Z`);

// One slot per status on L1 from 08:00 to 10:00, plus an open one on L2 and a late one on L1.
describe('schedule read API', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    database = await testDatabase();
    await database.exec(`
      INSERT INTO departments (id, name) VALUES ('D', 'Dept');
      INSERT INTO work_centers (id, name, department_id, machine_type) VALUES
        ('L1', 'Laser 1', 'D', 'laser'), ('L2', 'Laser 2', 'D', 'laser');
      INSERT INTO customers (id, code, name) VALUES ('00000000-0000-4000-8000-0000000000c1', 'ACME', 'Acme');
      INSERT INTO jobs (id, job_number, customer_id, product, quantity, due_date, priority, status) VALUES
        ('00000000-0000-4000-8000-000000000001', 'J-1', '00000000-0000-4000-8000-0000000000c1', 'Box', 4,
         '2026-12-20T00:00Z', 2, 'released');
      INSERT INTO job_routings (id, job_id, sequence, operation_code, work_center_type, setup_minutes,
                                run_minutes_per_unit, quantity) VALUES
        ('00000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-000000000001', 10, 'CUT', 'laser', 15, 2.5, 4);
    `);
    const statuses = ['scheduled', 'queued', 'delayed', 'in_progress', 'complete', 'cancelled'];
    for (const s of statuses) {
      await database.query(
        `INSERT INTO schedule_slots (routing_id, work_center_id, planned_start, planned_end, status, notes)
         VALUES ('00000000-0000-4000-8000-000000000011', 'L1', '2026-12-07T08:00Z', '2026-12-07T10:00Z', $1, $2)`,
        [s, s],
      );
    }
    await database.exec(`
      INSERT INTO schedule_slots (routing_id, work_center_id, planned_start, planned_end, status, notes) VALUES
        ('00000000-0000-4000-8000-000000000011', 'L2', '2026-12-07T08:00Z', '2026-12-07T10:00Z', 'scheduled', 'l2'),
        ('00000000-0000-4000-8000-000000000011', 'L1', '2026-12-07T12:00Z', '2026-12-07T13:00Z', 'scheduled', 'late');
    `);
  });
  afterAll(async () => database?.drop());

  const notes = (rows: Array<{ notes: string | null }>) => rows.map((r) => r.notes).sort();

  it('reads each status class and defaults to open', async () => {
    const l1 = { workCenterId: 'L1', to: at('11:00') };
    expect(notes(await readScheduleSlots(database.db, l1))).toEqual(['delayed', 'in_progress', 'queued', 'scheduled']);
    expect(notes(await readScheduleSlots(database.db, { ...l1, statusClass: 'notStarted' }))).toEqual([
      'delayed',
      'queued',
      'scheduled',
    ]);
    expect(notes(await readScheduleSlots(database.db, { ...l1, statusClass: 'inProgress' }))).toEqual(['in_progress']);
    expect(notes(await readScheduleSlots(database.db, { ...l1, statusClass: 'closed' }))).toEqual([
      'cancelled',
      'complete',
    ]);
    expect(isSlotStatusIn('open', 'in_progress')).toBe(true);
    expect(isSlotStatusIn('open', 'complete')).toBe(false);
    expect([...SLOT_STATUS_CLASSES.open, ...SLOT_STATUS_CLASSES.closed].sort()).toEqual(
      ['cancelled', 'complete', 'delayed', 'in_progress', 'queued', 'scheduled'].sort(),
    );
  });

  it('takes slots overlapping [from, to): touching either edge is outside', async () => {
    const q = (from: string, to: string) =>
      readScheduleSlots(database.db, { workCenterId: 'L1', statusClass: 'notStarted', from: at(from), to: at(to) });
    expect(await q('10:00', '12:00')).toHaveLength(0);
    expect(notes(await q('09:59', '12:00'))).toEqual(['delayed', 'queued', 'scheduled']);
    expect(notes(await q('10:00', '12:01'))).toEqual(['late']);
    expect(notes(await readScheduleSlots(database.db, { workCenterId: 'L1', from: at('10:00') }))).toEqual(['late']);
    expect(await readScheduleSlots(database.db, { workCenterId: 'L1', to: at('08:00') })).toHaveLength(0);
  });

  it('filters by work center and returns the step, job and customer with each slot', async () => {
    const rows = await readScheduleSlots(database.db, { workCenterId: 'L2' });
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r).toMatchObject({
      workCenterId: 'L2',
      status: 'scheduled',
      jobId: '00000000-0000-4000-8000-000000000001',
      jobNumber: 'J-1',
      priority: 2,
      jobStatus: 'released',
      customer: 'Acme',
      sequence: 10,
      operationCode: 'CUT',
      workCenterType: 'laser',
      setupMinutes: 15,
      runMinutesPerUnit: 2.5,
      quantity: 4,
      dependencies: [],
    });
    expect(r.plannedStart).toEqual(at('08:00'));
    expect(r.dueDate).toEqual(new Date('2026-12-20T00:00Z'));
    const all = await readScheduleSlots(database.db);
    expect(all.map((x) => x.workCenterId)).toEqual(['L1', 'L1', 'L1', 'L1', 'L1', 'L2']);
    expect(all.at(-2)!.notes).toBe('late');
  });

  it('locks the slot rows when asked, inside a transaction', async () => {
    const rows = await database.db.transaction((tx) => readScheduleSlots(tx, { workCenterId: 'L2', forUpdate: true }));
    expect(rows).toHaveLength(1);
  });
});
