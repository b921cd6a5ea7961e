import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeCode } from '@kerf/floor-codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

const run = promisify(execFile);

// pdftoppm and pdftotext come from poppler-utils (.ci/run installs it). Without them the PDF
// checks cannot run: skipped on a developer machine, a failure under CI.
const havePoppler = spawnSync('pdftoppm', ['-v']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0;
if (!havePoppler && !process.env.CI) {
  console.warn('traveler-api.test.ts: pdftoppm/pdftotext (poppler-utils) not found; the PDF checks are skipped');
}
const describePdf = havePoppler || process.env.CI ? describe : describe.skip;

// The decoder's WASM from node_modules: zxing-wasm would otherwise fetch it from a CDN.
const wasm = await readFile(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
prepareZXingModule({
  overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer },
});

interface Job {
  id: string;
  jobNumber: string;
  version: number;
  routings: Array<{ id: string; sequence: number; version: number }>;
}

/** Every code on every page, as pdftoppm renders them at 200 dpi and ZXing reads them. */
async function decodePdf(pdf: Buffer, dir: string) {
  await writeFile(join(dir, 't.pdf'), pdf);
  await run('pdftoppm', ['-r', '200', '-png', join(dir, 't.pdf'), join(dir, 'page')]);
  const pages = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
  const perPage: string[][] = [];
  for (const p of pages) {
    const found = await readBarcodes(await readFile(join(dir, p)), {
      formats: ['Code128'],
      maxNumberOfSymbols: 64,
      tryHarder: true,
    });
    perPage.push(found.filter((r) => r.isValid).map((r) => r.text));
  }
  const { stdout: text } = await run('pdftotext', ['-layout', join(dir, 't.pdf'), '-']);
  return { pages: pages.length, perPage, codes: perPage.flat(), text };
}

const codesOf = (job: Job) => [
  encodeCode({ type: 'job', jobNumber: job.jobNumber }),
  ...job.routings.map((r) => encodeCode({ type: 'operation', routingId: r.id, revision: r.version })),
];

describe('job travelers API', () => {
  let t: TestApp;
  let dir: string;
  const jobs: Job[] = [];
  let stationToken: string;

  const createJob = async (jobNumber: string, extra: object = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: { ...sampleJob(jobNumber), ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Job;
  };

  beforeAll(async () => {
    t = await testApp();
    dir = await mkdtemp(join(tmpdir(), 'kerf-traveler-'));
    await seedMiniShop(t.app, t.tokens.admin);
    const customer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: bearer(t.tokens.admin),
      payload: { code: 'LODZ', name: 'Łódź Stal Łukasz Žilinský' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const customerId = (customer.json() as { id: string }).id;
    jobs.push(await createJob('J-T1', { customerId, notes: 'Deburr, pack by 4 (Želva)' }));
    jobs.push(await createJob('J-T2'));
    jobs.push(await createJob('J-T3', { customerId }));
    const slot = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedule-slots',
      headers: bearer(t.tokens.supervisor),
      payload: {
        routingId: jobs[0]!.routings[0]!.id,
        workCenterId: 'LASER-01',
        plannedStart: '2027-01-04T07:00:00Z',
        plannedEnd: '2027-01-04T08:00:00Z',
      },
    });
    expect(slot.statusCode, slot.body).toBe(201);
    const station = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/stations',
      headers: bearer(t.tokens.admin),
      payload: { name: 'Brake tablet', workCenterIds: ['BRAKE-01'] },
    });
    stationToken = (station.json() as { token: string }).token;
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('walks 401 -> 400 -> 403 -> 404 naming jobIds', async () => {
    const id = jobs[0]!.id;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}/traveler.pdf` })).statusCode).toBe(401);
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v1/travelers',
      headers: bearer(t.tokens.supervisor),
      payload: { jobIds: [] },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ field: 'jobIds' });
    const tooMany = await t.app.inject({
      method: 'POST',
      url: '/api/v1/travelers',
      headers: bearer(t.tokens.supervisor),
      payload: { jobIds: Array.from({ length: 201 }, () => id) },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({ field: 'jobIds' });
    // a shared tablet's token alone prints nothing
    const station = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${id}/traveler.pdf`,
      headers: bearer(stationToken),
    });
    expect(station.statusCode).toBe(403);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/travelers',
      headers: bearer(t.tokens.supervisor),
      payload: { jobIds: [id, unknown] },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ field: 'jobIds' });
    expect((missing.json() as { message: string }).message).toContain(unknown);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${unknown}/traveler.pdf`,
      headers: bearer(t.tokens.operator),
    });
    expect(one.statusCode).toBe(404);
  });

  describePdf('the PDF as printed (pdftoppm at 200 dpi, ZXing)', () => {
    it('one job: every step code and the job code decode; the header keeps Ł and ž', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/jobs/${jobs[0]!.id}/traveler.pdf`,
        headers: bearer(t.tokens.supervisor),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe('attachment; filename="traveler-J-T1.pdf"');
      const pdf = res.rawPayload;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const out = await decodePdf(pdf, await mkdtemp(join(dir, 'one-')));
      const expected = codesOf(jobs[0]!);
      expect(jobs[0]!.routings.length).toBeGreaterThanOrEqual(3);
      console.log(`traveler J-T1: ${out.codes.length} codes decoded of ${expected.length} printed`);
      expect(out.codes.sort()).toEqual([...expected].sort());
      expect(out.text).toContain('Łódź Stal Łukasz Žilinský');
      expect(out.text).toContain('Želva');
      expect(out.text).toContain('Work table 30x72 SS304 16ga');
      expect(out.text).toContain('WT-3072-TOP rev A');
      expect(out.text).toContain('SS304, 0.0598 in');
      // the slot's center and planned start in shop time (the harness shop runs on UTC)
      expect(out.text).toContain('LASER-01 Fiber laser');
      expect(out.text).toContain('2027-01-04 07:00');
      expect(out.text).toContain('any brake');
      expect(out.text).toContain('WELD-02 TIG 2');
    });

    it('a batch of 3 jobs: pages for each, in the order asked, every code decodes', async () => {
      const order = [jobs[2]!, jobs[0]!, jobs[1]!];
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/travelers',
        headers: bearer(t.tokens.supervisor),
        payload: { jobIds: order.map((j) => j.id) },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="travelers-3-jobs.pdf"');
      const out = await decodePdf(res.rawPayload, await mkdtemp(join(dir, 'batch-')));
      const expected = order.flatMap(codesOf);
      console.log(`batch of 3: ${out.pages} pages, ${out.codes.length} codes decoded of ${expected.length} printed`);
      expect(out.pages).toBeGreaterThanOrEqual(3);
      expect(out.codes.sort()).toEqual([...expected].sort());
      // each job begins on a page of its own, in the order asked
      const firstPages = order.map((j) => out.perPage.findIndex((p) => p.includes(codesOf(j)[0]!)));
      expect(firstPages[0]).toBe(0);
      expect(firstPages[1]).toBeGreaterThan(firstPages[0]!);
      expect(firstPages[2]).toBeGreaterThan(firstPages[1]!);
      for (const j of order) expect(out.text).toContain(j.jobNumber);
    });

    it('a job whose routing was replaced prints the new steps', async () => {
      const job = jobs[1]!;
      const routings = sampleJob(job.jobNumber).routings.map((r) =>
        r.sequence === 30 ? { ...r, setupMinutes: 45 } : r,
      );
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/jobs/${job.id}`,
        headers: bearer(t.tokens.admin),
        payload: { version: job.version, routings },
      });
      expect(res.statusCode, res.body).toBe(200);
      const patched = res.json() as Job;
      const pdf = await t.app.inject({
        method: 'GET',
        url: `/api/v1/jobs/${job.id}/traveler.pdf`,
        headers: bearer(t.tokens.supervisor),
      });
      const out = await decodePdf(pdf.rawPayload, await mkdtemp(join(dir, 'replaced-')));
      expect(out.codes.sort()).toEqual(codesOf(patched).sort());
      expect(out.codes).not.toContain(codesOf(job)[1]);
      expect(out.text).toContain('45 min');
    });
  });

  it('50 jobs render as one PDF in reasonable time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await createJob(`J-B${String(i).padStart(3, '0')}`)).id);
    const started = performance.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/travelers',
      headers: bearer(t.tokens.supervisor),
      payload: { jobIds: ids },
    });
    const ms = performance.now() - started;
    expect(res.statusCode, res.body).toBe(200);
    console.log(`batch of 50 travelers (200 step codes): ${Math.round(ms)} ms, ${res.rawPayload.length} bytes`);
    expect(ms).toBeLessThan(30_000);
    if (havePoppler) {
      await writeFile(join(dir, 'fifty.pdf'), res.rawPayload);
      const { stdout } = await run('pdftotext', [join(dir, 'fifty.pdf'), '-']);
      for (const n of ['J-B000', 'J-B025', 'J-B049']) expect(stdout).toContain(n);
    }
  });
});
