import { encodeCode } from '@kerf/floor-codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { retimeStep } from '../jobs/retime-step.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { floorStation, userIdOf } from '../test/floor-station.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

interface Job {
  id: string;
  jobNumber: string;
  version: number;
  routings: Array<{ id: string; sequence: number; version: number }>;
}
interface Scan {
  code: string;
  type: string;
  label: string;
  operationId?: string;
  jobId?: string;
  jobNumber?: string;
  workCenterId?: string;
  employeeId?: string;
  lot?: string;
  printedRevision?: number;
  currentRevision?: number;
  changed: boolean;
  changes: Array<{ field: string; from: string | null; to: string | null; at: string }>;
}

const opCode = (r: { id: string; version: number }) =>
  encodeCode({ type: 'operation', routingId: r.id, revision: r.version });

describe('scan resolution (GET /api/v1/floor/scan)', () => {
  let t: TestApp;
  let job: Job;
  let stationToken: string;
  let operatorId: string;

  const scan = (code: string, token = t.tokens.operator) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/floor/scan?code=${encodeURIComponent(code)}`,
      headers: bearer(token),
    });
  const ok = async (code: string) => {
    const res = await scan(code);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Scan;
  };

  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: sampleJob('J-S1'),
    });
    expect(res.statusCode, res.body).toBe(201);
    job = res.json() as Job;
    operatorId = await userIdOf(t.database.db, 'operator');
    stationToken = (
      await floorStation(t.app, t.tokens.admin, {
        workCenterIds: ['WELD-01'],
        userId: operatorId,
        badge: 'B-7',
        pin: '4711',
      })
    ).token;
  });
  afterAll(async () => t.close());

  it('walks 401 -> 400 -> 200; every role and a station token may resolve a code', async () => {
    const code = opCode(job.routings[0]!);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/floor/scan?code=${code}` })).statusCode).toBe(401);
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/floor/scan', headers: bearer(t.tokens.operator) });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ field: 'code' });
    // the station's token replays the offline queue (production:report), so it reads codes too
    expect((await scan(code, stationToken)).statusCode).toBe(200);
    expect((await scan(code)).statusCode).toBe(200);
  });

  it('a current operation code names the step, unchanged', async () => {
    const step = job.routings.find((r) => r.sequence === 10)!;
    // as a wedge scanner types it: lower case by Caps Lock, a trailing CR
    const res = await ok(`${opCode(step).toLowerCase()}\r`);
    expect(res).toEqual({
      code: opCode(step),
      type: 'operation',
      label: 'J-S1 op 10 CUT',
      operationId: step.id,
      jobId: job.id,
      jobNumber: 'J-S1',
      printedRevision: 1,
      currentRevision: 1,
      changed: false,
      changes: [],
    });
  });

  it('a code printed before the step was retimed answers changed with the field', async () => {
    const step = job.routings.find((r) => r.sequence === 20)!;
    const printed = opCode(step);
    const changedAt = Date.now();
    await t.database.db.transaction((tx) =>
      retimeStep(tx, { actor: SYSTEM_ACTOR, events: t.events }, step.id, 4.5, 'real cut times'),
    );
    const res = await ok(printed);
    expect(res).toMatchObject({ operationId: step.id, printedRevision: 1, currentRevision: 2, changed: true });
    expect(res.changes).toEqual([
      { field: 'runMinutesPerUnit', from: '3', to: '4.5', at: expect.any(String) as string },
    ]);
    expect(Date.parse(res.changes[0]!.at)).toBeGreaterThanOrEqual(changedAt - 1000);
    // a traveler printed now carries revision 2 and is current
    expect(await ok(opCode({ id: step.id, version: 2 }))).toMatchObject({ changed: false, changes: [] });
  });

  it('a code of a step replaced by a routing update leads to the step now in its place, with what differs', async () => {
    const old = job.routings.find((r) => r.sequence === 30)!;
    const printed = opCode(old);
    const current = (
      await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: bearer(t.tokens.admin) })
    ).json() as Job;
    const routings = sampleJob('J-S1').routings.map((r) =>
      r.sequence === 30 ? { ...r, setupMinutes: 30, workCenterType: 'brake', preferredWorkCenterId: 'BRAKE-01' } : r,
    );
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/jobs/${job.id}`,
      headers: bearer(t.tokens.admin),
      payload: { version: current.version, routings },
    });
    expect(res.statusCode, res.body).toBe(200);
    const now = (res.json() as Job).routings.find((r) => r.sequence === 30)!;
    const answer = await ok(printed);
    expect(answer).toMatchObject({
      type: 'operation',
      label: 'J-S1 op 30 FORM',
      operationId: now.id,
      jobId: job.id,
      printedRevision: 1,
      currentRevision: 1,
      changed: true,
    });
    expect(answer.changes.map(({ field, from, to }) => ({ field, from, to }))).toEqual([
      { field: 'operationId', from: old.id, to: now.id },
      { field: 'preferredWorkCenterId', from: null, to: 'BRAKE-01' },
      { field: 'setupMinutes', from: '15', to: '30' },
    ]);
  });

  it('one character altered, or an unknown prefix, is a 400 naming code', async () => {
    const code = opCode(job.routings[0]!);
    // change one hex digit of the step id: the check characters no longer match
    const i = 5;
    const altered = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
    const res = await scan(altered);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      field: 'code',
      message: 'code: check characters do not match: misread or mistyped',
    });
    const unknown = await scan('XX-12345-AB');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'code' });
  });

  it('a well-formed code of a step that never existed is 404', async () => {
    const res = await scan(opCode({ id: '00000000-0000-4000-8000-000000000000', version: 1 }));
    expect(res.statusCode).toBe(404);
  });

  it('job, work center, badge and lot codes', async () => {
    expect(await ok(encodeCode({ type: 'job', jobNumber: 'J-S1' }))).toMatchObject({
      type: 'job',
      jobId: job.id,
      jobNumber: 'J-S1',
      label: 'J-S1 Work table 30x72 SS304 16ga',
      changed: false,
      changes: [],
    });
    expect(await ok(encodeCode({ type: 'workCenter', workCenterId: 'LASER-01' }))).toMatchObject({
      type: 'work_center',
      workCenterId: 'LASER-01',
      label: 'LASER-01 Fiber laser 1',
    });
    expect(await ok(encodeCode({ type: 'badge', badge: 'B-7' }))).toMatchObject({
      type: 'employee',
      employeeId: operatorId,
      label: 'operator',
    });
    expect(await ok(encodeCode({ type: 'lot', lot: 'H-2291' }))).toMatchObject({ type: 'lot', lot: 'H-2291' });
    expect((await scan(encodeCode({ type: 'job', jobNumber: 'NOPE-1' }))).statusCode).toBe(404);
    expect((await scan(encodeCode({ type: 'workCenter', workCenterId: 'NOPE' }))).statusCode).toBe(404);
    expect((await scan(encodeCode({ type: 'badge', badge: 'NOPE' }))).statusCode).toBe(404);
  });
});
