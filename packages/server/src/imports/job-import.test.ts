import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { createJob } from '../jobs/job-service.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

interface CsvErrorBody {
  error: string;
  message: string;
  details: { errors: { row: number; column: string | null; message: string }[] };
}
interface JobBody {
  jobNumber: string;
  customerId: string | null;
  quantity: number;
  dueDate: string;
  priority: number;
  status: string;
  parts: { partNumber: string; revision: string; quantity: number; thickness: number; grainDirection: string }[];
  routings: {
    sequence: number;
    operationCode: string;
    preferredWorkCenterId: string | null;
    quantity: number;
    dependsOn: number[];
    notes: string | null;
  }[];
}

const HEADER =
  'job_number,customer_code,product,job_quantity,due_date,priority,status,part_number,revision,part_quantity,material_code,thickness,dxf_path,grain_direction,sequence,operation_code,work_center_type,preferred_work_center_id,setup_minutes,run_minutes_per_unit,step_quantity,setup_category,depends_on,notes';

/** A step row that repeats nothing of its job: 15 empty job and part cells, then the step. */
const step = (job: string, rest: string) => `${job},,,,,,,,,,,,,,${rest}`;

describe('POST /api/v1/imports/jobs', () => {
  let t: TestApp;
  const post = (csv: string, token: string | undefined = t.tokens.admin, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/jobs${query}`,
      headers: { 'content-type': 'text/csv; charset=utf-8', ...(token ? bearer(token) : {}) },
      payload: csv,
    });
  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: bearer(t.tokens.admin), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as Record<string, unknown>;
  };
  const jobCount = async () => (await api('GET', '/api/v1/jobs?limit=1')).total as number;
  const job = async (number: string): Promise<JobBody> => {
    const page = (await api('GET', `/api/v1/jobs?q=${number}`)) as { items: { id: string; jobNumber: string }[] };
    const id = page.items.find((j) => j.jobNumber === number)!.id;
    return (await api('GET', `/api/v1/jobs/${id}`)) as unknown as JobBody;
  };
  let acmeId: string;

  beforeAll(async () => {
    t = await testApp();
    for (const id of ['CUT', 'FORM', 'WELD']) await api('POST', '/api/v1/departments', { id, name: id });
    const centers = [
      ['LASER-1', 'CUT', 'laser'],
      ['BRAKE-1', 'FORM', 'press_brake'],
      ['WELD-1', 'WELD', 'weld'],
    ];
    for (const [id, departmentId, machineType] of centers) {
      await api('POST', '/api/v1/work-centers', { id, name: id, departmentId, machineType });
    }
    acmeId = (await api('POST', '/api/v1/customers', { code: 'ACME', name: 'Acme Fabrication' })).id as string;
  });
  afterAll(async () => t.close());

  it('imports three jobs with parts, a DAG join and defaults', async () => {
    const csv = [
      HEADER,
      'J-1001,ACME,Enclosure,10,2025-07-01,rush,,P-100,B,10,CRS-16,0.0598,/dxf/p100.dxf,X,10,CUT,laser,LASER-1,15,1.5,,steel,,',
      step('', '20,BEND,press_brake,,10,2,,,,'),
      step('', '30,WELD,weld,,5,4,,,,"Tack, then seam"'),
      'J-1002,ACME,Bracket kit,50,2025-07-03T12:00:00Z,2,,BR-1,,50,AL-5052,0.08,,,10,CUT-A,laser,,10,0.5,,,-,',
      'J-1002,ACME,Bracket kit,50,2025-07-03T12:00:00Z,2,,BR-2,,50,AL-5052,0.08,,,20,CUT-B,laser,,10,0.5,,,-,',
      'J-1002,,,,,,,BR-1,,,,,,,30,BEND-A,press_brake,BRAKE-1,5,1,,,10,',
      step('J-1002', '40,WELD,weld,,5,3,,,30;20,join of both branches'),
      'J-1003,,Panel 24" x 36",5,2025-07-10,,on_hold,,,,,,,,10,CUT,laser,,0,3,10,,,',
    ].join('\r\n');
    const before = await jobCount();
    const res = await post(csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      dryRun: false,
      rows: 8,
      imported: { created: 3, updated: 0 },
      results: [
        { key: 'J-1001', row: 2, action: 'created' },
        { key: 'J-1002', row: 5, action: 'created' },
        { key: 'J-1003', row: 9, action: 'created' },
      ],
    });
    expect(await jobCount()).toBe(before + 3);

    const j1 = await job('J-1001');
    expect(j1).toMatchObject({
      customerId: acmeId,
      quantity: 10,
      priority: 1,
      status: 'planned',
      dueDate: '2025-07-01T23:59:59.000Z',
    });
    expect(j1.parts).toMatchObject([
      { partNumber: 'P-100', revision: 'B', quantity: 10, thickness: 0.0598, grainDirection: 'X' },
    ]);
    expect(j1.routings.map((r) => [r.sequence, r.dependsOn, r.quantity])).toEqual([
      [10, [], 10],
      [20, [10], 10],
      [30, [20], 10],
    ]);
    expect(j1.routings[0]!.preferredWorkCenterId).toBe('LASER-1');
    expect(j1.routings[2]!.notes).toBe('Tack, then seam');

    const j2 = await job('J-1002');
    expect(j2).toMatchObject({ priority: 2, dueDate: '2025-07-03T12:00:00.000Z' });
    expect(j2.parts.map((p) => `${p.partNumber}@${p.revision}`)).toEqual(['BR-1@A', 'BR-2@A']);
    expect(j2.routings.map((r) => [r.sequence, r.dependsOn.sort()])).toEqual([
      [10, []],
      [20, []],
      [30, [10]],
      [40, [20, 30]],
    ]);

    const j3 = await job('J-1003');
    expect(j3).toMatchObject({ customerId: null, priority: 3, status: 'on_hold', parts: [] });
    expect(j3.routings).toMatchObject([{ sequence: 10, quantity: 10, dependsOn: [] }]);

    const audit = await t.database.query<{ action: string; entity: string }>(
      "SELECT action, entity FROM audit_log WHERE entity IN ('job', 'csv_import') ORDER BY id",
    );
    expect(audit.map((a) => `${a.action}:${a.entity}`)).toEqual([
      'create:job',
      'create:job',
      'create:job',
      'import:csv_import',
    ]);
  });

  it('lists a bad number, an unknown work center type and a dependency cycle together, and imports nothing', async () => {
    const csv = [
      HEADER,
      'J-2001,ACME,Good before,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,1,,,,',
      step('', '20,BEND,press_brake,,5,1,,,,'),
      'J-2002,ACME,Bad number,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,1,,,,',
      step('', '20,BEND,press_brake,,5,1.5.2,,,,'),
      'J-2003,,Unknown type,5,2025-08-01,,,,,,,,,,10,CUT,plasma,,5,1,,,,',
      'J-2004,,Cycle,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,1,,,20,',
      step('', '20,BEND,press_brake,,5,1,,,10,'),
      'J-2005,,Good after,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,1,,,,',
    ].join('\n');
    const before = await jobCount();
    const res = await post(csv);
    expect(res.statusCode).toBe(400);
    const body = res.json() as CsvErrorBody;
    expect(body.error).toBe('invalid_csv');
    expect(body.message).toBe('3 rows have errors; nothing was imported');
    expect(body.details.errors).toEqual([
      { row: 5, column: 'run_minutes_per_unit', message: '"1.5.2" is not a number' },
      { row: 6, column: 'work_center_type', message: 'no work center has type "plasma"' },
      { row: 7, column: 'depends_on', message: 'dependency cycle between steps 10 -> 20 -> 10' },
    ]);
    expect(await jobCount()).toBe(before);
  });

  it('keeps checking the other jobs after a database error in one (savepoints)', async () => {
    // createJob nests a transaction, which drizzle makes a savepoint. On PostgreSQL a failed
    // statement aborts the whole transaction unless rolled back to that savepoint: check it
    // with a value the CSV layer never lets through (INTEGER overflow).
    const input = (jobNumber: string, quantity: number) => ({
      jobNumber,
      product: 'Savepoint',
      quantity,
      dueDate: '2025-08-01T00:00:00Z',
      routings: [{ sequence: 10, operationCode: 'CUT', workCenterType: 'laser', runMinutesPerUnit: 1 }],
    });
    const before = await jobCount();
    await expect(
      t.database.db.transaction(async (tx) => {
        await expect(createJob(tx, SYSTEM_ACTOR, input('J-3001', 3_000_000_000))).rejects.toMatchObject({
          code: 'invalid_value',
        });
        const created = await createJob(tx, SYSTEM_ACTOR, input('J-3002', 5));
        expect(created.routings).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await jobCount()).toBe(before);

    // Through the CSV the same mistake is a cell error, not a database error.
    const csv = [HEADER, 'J-3003,,Huge,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,9000,2000000000,,,'].join('\n');
    const res = await post(csv);
    expect(res.statusCode, res.body).toBe(400);
    expect((res.json() as CsvErrorBody).details.errors).toEqual([
      { row: 2, column: 'run_minutes_per_unit', message: expect.stringMatching(/more than a step can take/) },
      { row: 2, column: 'step_quantity', message: 'must be at most 1000000' },
    ]);
  });

  it('reports the mistakes planners make in a spreadsheet', async () => {
    const csv = [
      HEADER,
      step('', '10,CUT,laser,,5,1,,,,'),
      'J-1001,ACME,Exists already,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,1,,,,',
      'J-4001,NOBODY,Widget,5,2025-02-30,urgent,,P-1,,,CRS,1,,,10,CUT,laser,BRAKE-1,5,1,,,,',
      'J-4001,,Gadget,,,,,,,2,,,,,20,BEND,press_brake,,5,1,,,,',
    ].join('\n');
    const res = await post(csv);
    expect(res.statusCode).toBe(400);
    const errors = (res.json() as CsvErrorBody).details.errors;
    expect(errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [2, 'job_number', expect.stringMatching(/required on the first row/)],
      [3, 'job_number', 'job J-1001 already exists; the import only creates new jobs'],
      [4, 'customer_code', 'customer "NOBODY" does not exist; create it first'],
      [4, 'due_date', expect.stringMatching(/"2025-02-30" is not a date/)],
      [4, 'priority', expect.stringMatching(/"urgent" is not one of 1, 2, 3, 4/)],
      [4, 'part_quantity', 'is required'],
      [4, 'preferred_work_center_id', 'work center BRAKE-1 is a press_brake, not a laser'],
      [5, 'product', expect.stringMatching(/"Gadget" differs from "Widget" on row 4/)],
      [5, 'part_number', 'is required when part_quantity is filled'],
    ]);
  });

  it('rejects a wrong header, naming the columns', async () => {
    const res = await post(
      'job_number,product,qty,due_date,sequence,operation_code,work_center_type,run_minutes_per_unit\nJ-1,X,1,2025-01-01,10,CUT,laser,1\n',
    );
    expect(res.statusCode).toBe(400);
    const body = res.json() as CsvErrorBody;
    expect(body.details.errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'qty'],
      [1, 'job_quantity'],
    ]);
  });

  it('dryRun checks everything and writes nothing', async () => {
    const before = await jobCount();
    const audits = (await t.database.query<{ n: string }>('SELECT count(*) AS n FROM audit_log'))[0]!.n;
    const csv = [HEADER, 'J-5001,ACME,Dry,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,1,,,,'].join('\n');
    const res = await post(csv, t.tokens.admin, '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      dryRun: true,
      imported: { created: 1, updated: 0 },
      results: [{ key: 'J-5001' }],
    });
    expect(await jobCount()).toBe(before);
    expect((await t.database.query<{ n: string }>('SELECT count(*) AS n FROM audit_log'))[0]!.n).toBe(audits);
    const bad = await post(`${csv}\n${step('', '20,BEND,laser,,x,1,,,,')}`, t.tokens.admin, '?dryRun=true');
    expect(bad.statusCode).toBe(400);
  });

  it('needs a token and the permission job:create', async () => {
    const csv = [HEADER, 'J-6001,,Auth,5,2025-08-01,,,,,,,,,,10,CUT,laser,,5,1,,,,'].join('\n');
    expect((await post(csv, '')).statusCode).toBe(401);
    expect((await post(csv, t.tokens.operator)).statusCode).toBe(403);
    // A supervisor may create jobs but not release them: a released row is a row error.
    const released = await post(
      [HEADER, 'J-6002,,Auth,5,2025-08-01,,released,,,,,,,,10,CUT,laser,,5,1,,,,'].join('\n'),
      t.tokens.supervisor,
    );
    expect(released.statusCode).toBe(400);
    expect((released.json() as CsvErrorBody).details.errors).toEqual([
      { row: 2, column: 'status', message: 'releasing a job needs the permission job:release' },
    ]);
  });
});
