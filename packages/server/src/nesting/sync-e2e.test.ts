import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../test/harness.js';
import type { Database } from '../platform/db.js';
import { testEmulator } from './emulator/test-emulator.js';
import type { SimTransEmulator } from './emulator/emulator.js';
import { simTransSource, pollFeedback } from './inbound-sync.js';
import { laserReleaseTimes, ncFileOfNest, nestsOfJob } from './nests-service.js';
import { drainOutbox, simTransTarget } from './outbound-sync.js';
import { rowsOf } from './sql-rows.js';
import { count, releaseDemoJobs, testNestingConfig } from './test-support.js';

describe('SimTrans sync end to end against the emulator (20 demo jobs)', () => {
  let database: Database & { drop: () => Promise<void> };
  let emu: { emulator: SimTransEmulator; drop: () => Promise<void> };
  let e: SimTransEmulator;
  const ncDir = mkdtempSync(join(tmpdir(), 'kerf-nc-'));
  const config = testNestingConfig({ ncRoots: [ncDir] });
  let jobIds: string[];

  beforeAll(async () => {
    database = await testDatabase();
    emu = await testEmulator({ ncDir });
    e = emu.emulator;
    jobIds = await releaseDemoJobs(database.db, 20);
  });
  afterAll(async () => {
    await emu?.drop();
    await database?.drop();
  });

  it('sends every release as documented TransAct rows, runs them without errors, nests, and applies the feedback', async () => {
    const db = database.db;
    expect(jobIds).toHaveLength(20);
    expect(await count(db, 'nesting_outbox', "kind = 'job.release'")).toBe(20);
    // The demo loader creates its sheets through the materials service: each one queued SN91A.
    const sheets = await count(db, 'materials');
    expect(await count(db, 'nesting_outbox', "kind = 'stock.upsert'")).toBe(sheets);
    const partRows = await count(db, 'parts');
    const partMaterials = (
      await rowsOf<{ n: number }>(
        db,
        sql`SELECT count(DISTINCT code)::int AS n FROM (SELECT material_code AS code FROM parts UNION SELECT code FROM materials) m`,
      )
    )[0]!.n;

    const out = await drainOutbox(db, simTransTarget(e.connection(), 1), config);
    expect(out).toEqual({ sent: 20 + sheets, failed: 0, dead: 0 });
    const byType = new Map(
      (
        await e.query<{ t: string; n: number }>(
          `SELECT "TransType" AS t, count(*)::int AS n FROM "TransAct" GROUP BY 1`,
        )
      ).map((r) => [r.t, r.n]),
    );
    // Demo parts all carry a DXF path: SN85; materials first (SN60), then stock (SN91A).
    expect(Object.fromEntries(byType)).toEqual({ SN60: partMaterials, SN85: partRows, SN91A: sheets });
    const ids = await e.query<{ id: string }>(`SELECT "TransID" AS id FROM "TransAct"`);
    expect(new Set(ids.map((r) => r.id)).size).toBe(ids.length);
    expect(Math.max(...ids.map((r) => r.id.length))).toBe(10);
    const first = await e.query<{ t: string }>(`SELECT "TransType" AS t FROM "TransAct" ORDER BY "AutoInc" LIMIT 1`);
    expect(first[0]!.t).toBe('SN60');

    const run = await e.processTransactions();
    expect(run).toEqual({ completed: partMaterials + partRows + sheets, errors: 0 });
    expect(await e.count('Part')).toBe(partRows);

    const stockBefore = (
      await rowsOf<{ n: number }>(db, sql`SELECT sum(quantity)::int AS n FROM materials WHERE location <> 'REMNANT'`)
    )[0]!.n;
    const nest = await e.nest();
    expect(nest.programs.length).toBeGreaterThan(0);
    const placed = (await e.query<{ n: number }>(`SELECT sum("QtyInProcess")::int AS n FROM "STPIPARC"`))[0]!.n;
    const remnants = await e.count('STRemARC');
    const feedbackRows = (
      await Promise.all(['STPrgARC', 'STPIPARC', 'STShtARC', 'STRemARC'].map((t) => e.count(t)))
    ).reduce((a, b) => a + b, 0);
    expect(feedbackRows).toBeGreaterThan(nest.programs.length);

    const inb = await pollFeedback(db, simTransSource(e.connection()));
    expect(inb).toEqual({ applied: 1, rejected: 0, cleaned: 0 });
    // Stored: one nest per program, every placed part, stock down one sheet per program, remnants up.
    expect(await count(db, 'nest_results', "status = 'posted'")).toBe(nest.programs.length);
    expect((await rowsOf<{ n: number }>(db, sql`SELECT sum(quantity)::int AS n FROM nest_parts`))[0]!.n).toBe(placed);
    expect(await count(db, 'nest_parts', 'job_id IS NULL')).toBe(0);
    const stockAfter = (
      await rowsOf<{ n: number }>(db, sql`SELECT sum(quantity)::int AS n FROM materials WHERE location <> 'REMNANT'`)
    )[0]!.n;
    expect(stockBefore - stockAfter).toBe(nest.programs.length);
    expect(
      (
        await rowsOf<{ n: number }>(
          db,
          sql`SELECT coalesce(sum(quantity), 0)::int AS n FROM materials WHERE location = 'REMNANT'`,
        )
      )[0]!.n,
    ).toBe(remnants);
    // Laser times: the first laser step of each nested job now runs for the real cut time.
    const times = await rowsOf<{ job_id: string; cut_seconds: string; run: string; qty: number }>(
      db,
      sql`SELECT t.job_id, t.cut_seconds, r.run_minutes_per_unit AS run, r.quantity AS qty
          FROM nest_job_times t JOIN job_routings r ON r.id = t.routing_id`,
    );
    const nestedJobs = await count(db, '(SELECT DISTINCT job_id FROM nest_parts) j');
    // Every nested job is released for laser work; jobs whose routing has no laser step keep no routing link.
    expect(await count(db, 'nest_job_times')).toBe(nestedJobs);
    expect(await count(db, 'nest_job_times', 'routing_id IS NULL')).toBe(
      await count(
        db,
        `(SELECT DISTINCT np.job_id FROM nest_parts np WHERE NOT EXISTS (SELECT 1 FROM job_routings r WHERE r.job_id = np.job_id AND r.work_center_type ILIKE '%laser%')) j`,
      ),
    );
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(Number(t.run)).toBeCloseTo(Number(t.cut_seconds) / 60 / t.qty, 3);
    // Consumed feedback rows are gone; the packet is recorded once.
    for (const t of ['STPrgARC', 'STPIPARC', 'STShtARC', 'STRemARC', 'STPrtARC']) expect(await e.count(t)).toBe(0);
    expect(await count(db, 'nest_packets', "status = 'applied'")).toBe(1);

    const release = await laserReleaseTimes(db);
    expect(release.size).toBe(nestedJobs);
    expect([...release.values()].every((r) => r.cutSeconds > 0 && r.readyAt.getTime() > 0)).toBe(true);
    // Per job: the nests carrying its parts, and the NC program found under the configured root.
    const someJob = times[0]!.job_id;
    const view = await nestsOfJob(db, someJob);
    expect(view.nests.length).toBeGreaterThan(0);
    expect(view.nests[0]!.jobParts.length).toBeGreaterThan(0);
    expect(view.nests[0]!.utilization).toBeGreaterThan(0);
    const nc = await ncFileOfNest(db, view.nests[0]!.id, [ncDir]);
    expect(nc).toMatchObject({ exists: true, reason: null });
    const missing = await ncFileOfNest(db, view.nests[0]!.id, [join(ncDir, 'nowhere')]);
    expect(missing.exists).toBe(false);
    expect(missing.reason).toMatch(/not found under/);
    process.stdout.write(
      `nesting e2e: ${20 + sheets} outbox rows -> ${partMaterials + partRows + sheets} TransAct rows; ${nest.programs.length} nests, ${placed} parts placed (${nest.unplaced} unplaced), ${remnants} remnants, ${times.length} jobs retimed\n`,
    );
  });
});
