import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMiniShop, sampleJob } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { rowsOf } from './sql-rows.js';

describe('nesting API: status, dead letters, nests per job, NC files', () => {
  let t: TestApp;
  const ncRoot = mkdtempSync(join(tmpdir(), 'kerf-nc-api-'));
  let jobId: string;

  beforeAll(async () => {
    process.env.KERF_NC_ROOTS = ncRoot;
    try {
      t = await testApp();
    } finally {
      delete process.env.KERF_NC_ROOTS;
    }
    await seedMiniShop(t.app, t.tokens.admin);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.production_manager),
      payload: { ...sampleJob('J-NEST-1'), status: 'released' },
    });
    expect(res.statusCode).toBe(201);
    jobId = (res.json() as { id: string }).id;
  });
  afterAll(async () => t?.close());

  const get = (url: string, token?: string) =>
    t.app.inject({ method: 'GET', url, ...(token ? { headers: bearer(token) } : {}) });
  const post = (url: string, token: string) => t.app.inject({ method: 'POST', url, headers: bearer(token) });

  it('status: 401 without a token, 400 for a bad filter, 200 with the outbox counts', async () => {
    expect((await get('/api/v1/nesting/status')).statusCode).toBe(401);
    expect((await get('/api/v1/nesting/outbox?status=lost', t.tokens.admin)).statusCode).toBe(400);
    const status = await get('/api/v1/nesting/status', t.tokens.operator);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      mode: 'off',
      outbound: { pending: 1, sent: 0, failed: 0, dead: 0 },
      inbound: { packetsApplied: 0 },
      connection: { up: true },
    });
    const page = await get('/api/v1/nesting/outbox?status=pending', t.tokens.operator);
    expect(page.json()).toMatchObject({
      total: 1,
      items: [{ kind: 'job.release', jobNumber: 'J-NEST-1', attempts: 0 }],
    });
  });

  it('retry and discard need machine:config and the right state', async () => {
    const id = (await rowsOf<{ id: number }>(t.database.db, sql`SELECT id::int AS id FROM nesting_outbox`))[0]!.id;
    expect((await post(`/api/v1/nesting/outbox/${id}/retry`, t.tokens.supervisor)).statusCode).toBe(403);
    const notYet = await post(`/api/v1/nesting/outbox/${id}/retry`, t.tokens.production_manager);
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json()).toMatchObject({ error: 'not_retryable' });
    await t.database.db.execute(
      sql`UPDATE nesting_outbox SET status = 'dead', attempts = 8, last_error = 'SN85 K1: Material X does not exist' WHERE id = ${id}`,
    );
    expect((await get('/api/v1/nesting/status', t.tokens.operator)).json()).toMatchObject({ outbound: { dead: 1 } });
    const retried = await post(`/api/v1/nesting/outbox/${id}/retry`, t.tokens.production_manager);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    const discarded = await post(`/api/v1/nesting/outbox/${id}/discard`, t.tokens.admin);
    expect(discarded.json()).toMatchObject({ status: 'discarded' });
    expect((await post(`/api/v1/nesting/outbox/${id}/discard`, t.tokens.admin)).statusCode).toBe(409);
    const audit = await rowsOf<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'nesting_outbox'`,
    );
    expect(audit[0]!.n).toBe(2);
  });

  it('sync now answers 503 while the worker is off; stock resync queues every sheet', async () => {
    const res = await post('/api/v1/nesting/sync', t.tokens.admin);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'nesting_off' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/materials',
      headers: bearer(t.tokens.admin),
      payload: { code: 'SS304', thickness: 0.0598, sheetWidth: 48, sheetLength: 96, quantity: 12, location: 'RACK-A' },
    });
    expect(created.statusCode).toBe(201);
    const materialId = (created.json() as { id: string }).id;
    // Creating the sheet queued SN91A in the same transaction; resync queues every sheet again.
    expect((await get('/api/v1/nesting/outbox?status=pending', t.tokens.operator)).json()).toMatchObject({
      items: [{ kind: 'stock.upsert' }],
    });
    const resync = await post('/api/v1/nesting/stock/resync', t.tokens.admin);
    expect(resync.json()).toEqual({ queued: 1 });
    expect((await post(`/api/v1/nesting/stock/${materialId}/remove`, t.tokens.supervisor)).statusCode).toBe(403);
    expect((await post(`/api/v1/nesting/stock/${materialId}/remove`, t.tokens.admin)).json()).toEqual({ queued: 1 });
    expect(
      (await post('/api/v1/nesting/stock/00000000-0000-4000-8000-000000000000/remove', t.tokens.admin)).statusCode,
    ).toBe(404);
    const kinds = await rowsOf<{ kind: string }>(t.database.db, sql`SELECT kind FROM nesting_outbox ORDER BY id`);
    expect(kinds.map((k) => k.kind)).toEqual(['job.release', 'stock.upsert', 'stock.upsert', 'stock.remove']);
  });

  it('nests of a job and their NC files, missing ones reported', async () => {
    expect((await get(`/api/v1/jobs/${jobId}/nests`, t.tokens.operator)).json()).toEqual({ jobId, nests: [] });
    expect((await get('/api/v1/jobs/00000000-0000-4000-8000-000000000000/nests', t.tokens.operator)).statusCode).toBe(
      404,
    );
    const db = t.database.db;
    const nest = async (name: string, nc: string) =>
      (
        await rowsOf<{ id: string }>(
          db,
          sql`INSERT INTO nest_results (program_name, repeat_id, status, nc_file, packet_id, utilization, cut_time_seconds)
              VALUES (${name}, 1, 'posted', ${nc}, 'p1', 0.8, 600) RETURNING id`,
        )
      )[0]!.id;
    const found = await nest('P1', 'P1.nc');
    const missing = await nest('P2', 'P2.nc');
    const escaping = await nest('P3', '../P3.nc');
    await db.execute(
      sql`INSERT INTO nest_parts (nest_id, job_id, wo_number, part_name, quantity, cut_time_seconds)
          VALUES (${found}, ${jobId}, 'J-NEST-1', 'WT-3072-TOP', 4, 400), (${found}, NULL, 'J-OTHER', 'X-1', 2, 200)`,
    );
    writeFileSync(join(ncRoot, 'P1.nc'), 'G90\nM30\n');
    const nests = (await get(`/api/v1/jobs/${jobId}/nests`, t.tokens.operator)).json() as {
      nests: { programName: string; jobParts: unknown[]; otherJobs: string[]; utilization: number }[];
    };
    expect(nests.nests).toHaveLength(1);
    expect(nests.nests[0]).toMatchObject({
      programName: 'P1',
      utilization: 0.8,
      jobParts: [{ partNumber: 'WT-3072-TOP', quantity: 4, cutTimeSeconds: 400 }],
      otherJobs: ['J-OTHER'],
    });
    const ok = await get(`/api/v1/nesting/nests/${found}/nc-file`, t.tokens.operator);
    expect(ok.json()).toMatchObject({ exists: true, path: join(ncRoot, 'P1.nc'), reason: null });
    expect((await get(`/api/v1/nesting/nests/${missing}/nc-file`, t.tokens.operator)).json()).toMatchObject({
      exists: false,
      path: null,
      reason: `P2.nc not found under ${ncRoot}`,
    });
    expect((await get(`/api/v1/nesting/nests/${escaping}/nc-file`, t.tokens.operator)).json()).toMatchObject({
      exists: false,
      reason: expect.stringMatching(/outside the NC root/) as unknown,
    });
    expect((await get('/api/v1/nesting/nests/not-a-uuid/nc-file', t.tokens.operator)).statusCode).toBe(400);
  });
});
