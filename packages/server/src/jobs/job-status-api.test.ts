import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';

interface JobBody {
  id: string;
  version: number;
  status: string;
  heldFrom: string | null;
}
interface ErrorBody {
  error: string;
  message: string;
  field: string;
}

const CSV_HEADER =
  'job_number,customer_code,product,job_quantity,due_date,priority,status,part_number,revision,part_quantity,material_code,thickness,dxf_path,grain_direction,sequence,operation_code,work_center_type,preferred_work_center_id,setup_minutes,run_minutes_per_unit,step_quantity,setup_category,depends_on,notes';
const csvJob = (jobNumber: string, status: string) =>
  `${jobNumber},,Panel,5,2026-08-01,,${status},,,,,,,,10,CUT,laser,,5,1,,,,`;

describe('job status transitions (issue #11: no skipping the release step)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
  });
  afterAll(async () => t.close());

  const jobCount = async () => Number((await t.database.query<{ n: string }>('SELECT count(*) AS n FROM jobs'))[0]!.n);
  const create = (jobNumber: string, token: string, extra: object = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(token),
      payload: { ...sampleJob(jobNumber), ...extra },
    });
  const patch = (job: { id: string; version: number }, token: string, payload: object) =>
    t.app.inject({
      method: 'PATCH',
      url: `/api/v1/jobs/${job.id}`,
      headers: bearer(token),
      payload: { version: job.version, ...payload },
    });
  const jobOf = async (id: string) =>
    (
      await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: bearer(t.tokens.admin) })
    ).json() as JobBody;

  it('refuses POST /jobs with a status a new job cannot have, naming status, writing nothing', async () => {
    const before = await jobCount();
    for (const status of ['in_progress', 'complete', 'cancelled']) {
      for (const role of ['supervisor', 'admin'] as const) {
        const res = await create(`J-NEW-${status}-${role}`, t.tokens[role], { status });
        expect(res.statusCode, `${role} ${status}: ${res.body}`).toBe(400);
        const body = res.json() as ErrorBody;
        expect(body).toMatchObject({ error: 'invalid_status', field: 'status' });
        expect(body.message).toMatch(/a new job starts as planned, on_hold or released/);
      }
    }
    expect(await jobCount()).toBe(before);
    expect((await create('J-NEW-PLANNED', t.tokens.supervisor)).json()).toMatchObject({ status: 'planned' });
    expect((await create('J-NEW-HOLD', t.tokens.supervisor, { status: 'on_hold' })).statusCode).toBe(201);
    expect((await create('J-NEW-REL', t.tokens.supervisor, { status: 'released' })).statusCode).toBe(403);
    expect((await create('J-NEW-REL', t.tokens.production_manager, { status: 'released' })).statusCode).toBe(201);
  });

  it('refuses a PATCH from planned to complete or in_progress with 409 naming the allowed next statuses', async () => {
    const job = (await create('J-SKIP', t.tokens.supervisor)).json() as JobBody;
    for (const status of ['complete', 'in_progress']) {
      for (const role of ['supervisor', 'admin'] as const) {
        const res = await patch(job, t.tokens[role], { status });
        expect(res.statusCode, `${role} ${status}: ${res.body}`).toBe(409);
        const body = res.json() as ErrorBody;
        expect(body).toMatchObject({ error: 'invalid_transition', field: 'status' });
        expect(body.message).toMatch(/planned/);
        expect(body.message).toMatch(/released \(needs job:release\), on_hold, cancelled/);
      }
    }
    const after = await jobOf(job.id);
    expect(after).toMatchObject({ status: 'planned', version: job.version });
  });

  it('walks the documented path: release needs job:release, then start and complete', async () => {
    let job = (await create('J-WALK', t.tokens.supervisor)).json() as JobBody;
    const refused = await patch(job, t.tokens.supervisor, { status: 'released' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ field: 'status' });
    job = (await patch(job, t.tokens.production_manager, { status: 'released' })).json() as JobBody;
    expect(job.status).toBe('released');
    for (const status of ['in_progress', 'complete']) {
      const res = await patch(job, t.tokens.supervisor, { status });
      expect(res.statusCode, res.body).toBe(200);
      job = res.json() as JobBody;
      expect(job.status).toBe(status);
    }
    // complete is final
    const reopen = await patch(job, t.tokens.admin, { status: 'in_progress' });
    expect(reopen.statusCode).toBe(409);
    expect((reopen.json() as ErrorBody).message).toMatch(/no further status/);
    // a PATCH that repeats the current status is not a transition
    expect((await patch(job, t.tokens.supervisor, { status: 'complete', notes: 'shipped' })).statusCode).toBe(200);
  });

  it('a hold returns only to where the job was: no release by way of on_hold', async () => {
    let planned = (await create('J-HOLD-P', t.tokens.supervisor)).json() as JobBody;
    planned = (await patch(planned, t.tokens.supervisor, { status: 'on_hold' })).json() as JobBody;
    expect(planned).toMatchObject({ status: 'on_hold', heldFrom: 'planned' });
    for (const status of ['in_progress', 'complete', 'released']) {
      const res = await patch(planned, t.tokens.admin, { status });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ error: 'invalid_transition', field: 'status' });
      expect((res.json() as ErrorBody).message).toMatch(/it can move to planned, cancelled/);
    }
    const resumed = await patch(planned, t.tokens.supervisor, { status: 'planned' });
    expect(resumed.json()).toMatchObject({ status: 'planned', heldFrom: null });

    // a started job put on a quality hold resumes without a new release
    let started = (await create('J-HOLD-S', t.tokens.production_manager, { status: 'released' })).json() as JobBody;
    started = (await patch(started, t.tokens.supervisor, { status: 'in_progress' })).json() as JobBody;
    started = (await patch(started, t.tokens.supervisor, { status: 'on_hold' })).json() as JobBody;
    expect(started).toMatchObject({ status: 'on_hold', heldFrom: 'in_progress' });
    const back = await patch(started, t.tokens.supervisor, { status: 'in_progress' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'in_progress', heldFrom: null });
  });

  it('refuses a CSV row with status in_progress or complete as a row error, importing nothing', async () => {
    const before = await jobCount();
    const csv = [CSV_HEADER, csvJob('J-CSV-1', ''), csvJob('J-CSV-2', 'in_progress'), csvJob('J-CSV-3', 'complete')];
    for (const role of ['supervisor', 'admin'] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/imports/jobs',
        headers: { 'content-type': 'text/csv', ...bearer(t.tokens[role]) },
        payload: csv.join('\n'),
      });
      expect(res.statusCode, res.body).toBe(400);
      const errors = (res.json() as { details: { errors: { row: number; column: string; message: string }[] } }).details
        .errors;
      expect(errors.map((e) => [e.row, e.column])).toEqual([
        [3, 'status'],
        [4, 'status'],
      ]);
      expect(errors[0]!.message).toMatch(/a new job starts as planned, on_hold or released/);
    }
    expect(await jobCount()).toBe(before);
  });
});
