import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';

interface CsvErrorBody {
  error: string;
  message: string;
  details: { errors: { row: number; column: string | null; message: string }[] };
}

describe('POST /api/v1/imports/work-centers', () => {
  let t: TestApp;
  const post = (csv: string, token: string | undefined, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/work-centers${query}`,
      headers: { 'content-type': 'text/csv', ...(token ? bearer(token) : {}) },
      payload: csv,
    });
  const workCenter = async (id: string) =>
    (
      await t.app.inject({ method: 'GET', url: `/api/v1/work-centers/${id}`, headers: bearer(t.tokens.admin) })
    ).json() as Record<string, unknown>;

  beforeAll(async () => {
    t = await testApp();
    for (const id of ['CUT', 'FORM']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: bearer(t.tokens.admin),
        payload: { id, name: id },
      });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => t.close());

  it('creates work centers, then updates them from a second file', async () => {
    const first = [
      'id,name,department_id,machine_type,capacity_minutes_per_shift,efficiency_factor,setup_category,is_bottleneck,iot_device_id,sigmanest_machine_id',
      'LASER-1,Trumpf 3030 fiber,CUT,laser,480,0.9,steel,true,iot-7,SN-L1',
      'BRAKE-1,Amada HG 1303,FORM,press_brake,,,,,,',
      '',
    ].join('\n');
    const res = await post(first, t.tokens.admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      dryRun: false,
      rows: 2,
      imported: { created: 2, updated: 0 },
      results: [
        { key: 'LASER-1', row: 2, action: 'created' },
        { key: 'BRAKE-1', row: 3, action: 'created' },
      ],
    });
    expect(await workCenter('LASER-1')).toMatchObject({
      machineType: 'laser',
      efficiencyFactor: 0.9,
      isBottleneck: true,
      sigmanestMachineId: 'SN-L1',
      version: 1,
    });
    expect(await workCenter('BRAKE-1')).toMatchObject({
      capacityMinutesPerShift: 480,
      efficiencyFactor: 0.85,
      isBottleneck: false,
      iotDeviceId: null,
    });

    // Semicolons, a byte-order mark and CRLF, as a German Excel saves it; fewer columns.
    const second =
      '\uFEFFid;name;department_id;machine_type;efficiency_factor\r\nLASER-1;Laser 1;CUT;laser;\r\nPUNCH-1;Trumatic;CUT;punch;1.1\r\n';
    const again = await post(second, t.tokens.production_manager);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      imported: { created: 1, updated: 1 },
      results: [
        { key: 'LASER-1', action: 'updated' },
        { key: 'PUNCH-1', action: 'created' },
      ],
    });
    // An empty cell resets to the default; a column not in the file stays as it was.
    expect(await workCenter('LASER-1')).toMatchObject({
      name: 'Laser 1',
      efficiencyFactor: 0.85,
      isBottleneck: true,
      sigmanestMachineId: 'SN-L1',
      version: 2,
    });

    const audit = await t.database.query<{ action: string; entity: string }>(
      "SELECT action, entity FROM audit_log WHERE entity IN ('work_center', 'csv_import') ORDER BY id",
    );
    expect(audit.map((a) => `${a.action}:${a.entity}`)).toEqual([
      'create:work_center',
      'create:work_center',
      'import:csv_import',
      'update:work_center',
      'create:work_center',
      'import:csv_import',
    ]);
  });

  it('lists every bad row and writes nothing', async () => {
    const csv = [
      'id,name,department_id,machine_type,capacity_minutes_per_shift,is_bottleneck',
      'SAW-1,Band saw,CUT,saw,480,no',
      'SAW-2,Band saw 2,PAINT,saw,lots,maybe',
      'bad id,,CUT,saw,0,',
      'SAW-1,Again,CUT,saw,,',
    ].join('\n');
    const res = await post(csv, t.tokens.admin);
    expect(res.statusCode).toBe(400);
    const body = res.json() as CsvErrorBody;
    expect(body.error).toBe('invalid_csv');
    expect(body.message).toBe('3 rows have errors; nothing was imported');
    expect(body.details.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'department_id'],
      [3, 'capacity_minutes_per_shift'],
      [3, 'is_bottleneck'],
      [4, 'id'],
      [4, 'name'],
      [4, 'capacity_minutes_per_shift'],
      [5, 'id'],
    ]);
    expect(body.details.errors[0]!.message).toBe('department "PAINT" does not exist');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/work-centers/SAW-1', headers: bearer(t.tokens.admin) }))
        .statusCode,
    ).toBe(404);
  });

  it('rejects an unknown or missing header column, naming it', async () => {
    const res = await post('id,name,dept,machine_type\nX,X,CUT,laser\n', t.tokens.admin);
    expect(res.statusCode).toBe(400);
    const body = res.json() as CsvErrorBody;
    expect(body.details.errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'dept'],
      [1, 'department_id'],
    ]);
    expect(body.message).toBe(
      'the header row has errors (unknown column "dept" (did you mean "department_id"?); required column "department_id" is missing); nothing was imported',
    );
  });

  it('reports wrong cell counts and an unclosed quote with their line', async () => {
    const short = await post('id,name,department_id,machine_type\nA,A,CUT\nB,B,CUT,laser,extra\n', t.tokens.admin);
    expect((short.json() as CsvErrorBody).details.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'machine_type'],
      [3, null],
    ]);
    const quote = await post(
      'id,name,department_id,machine_type\nA,A,CUT,laser\n\nB,"Brake,CUT,press_brake\nC,C,CUT,laser\n',
      t.tokens.admin,
    );
    expect(quote.statusCode).toBe(400);
    expect((quote.json() as CsvErrorBody).details.errors).toEqual([
      { row: 4, column: null, message: expect.stringMatching(/never closed/) },
    ]);
  });

  it('takes files over the default 1 MB body limit, up to 10 MB and 20 000 rows', async () => {
    const rows = Array.from(
      { length: 20_001 },
      (_, i) => `WC-${i},Work center ${i} with a long descriptive name,CUT,laser`,
    );
    const csv = ['id,name,department_id,machine_type', ...rows].join('\n');
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const res = await post(csv, t.tokens.admin);
    expect(res.statusCode).toBe(400);
    expect((res.json() as CsvErrorBody).details.errors).toEqual([
      { row: 20_002, column: null, message: 'at most 20000 data rows per file; split the file' },
    ]);
    const huge = await post(`id,name,department_id,machine_type\n${'x'.repeat(10 * 1024 * 1024)}`, t.tokens.admin);
    expect(huge.statusCode).toBe(413);
  });

  it('dryRun validates and writes nothing', async () => {
    const res = await post('id,name,department_id,machine_type\nDRY-1,Dry,CUT,laser\n', t.tokens.admin, '?dryRun=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, imported: { created: 1, updated: 0 } });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/work-centers/DRY-1', headers: bearer(t.tokens.admin) }))
        .statusCode,
    ).toBe(404);
  });

  it('needs a token, the permission machine:config, and a CSV body', async () => {
    const csv = 'id,name,department_id,machine_type\nX-1,X,CUT,laser\n';
    expect((await post(csv, undefined)).statusCode).toBe(401);
    expect((await post(csv, t.tokens.operator)).statusCode).toBe(403);
    expect((await post(csv, t.tokens.supervisor)).statusCode).toBe(403);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/work-centers',
      headers: bearer(t.tokens.admin),
      payload: { id: 'X' },
    });
    expect(json.statusCode).toBe(415);
  });
});
