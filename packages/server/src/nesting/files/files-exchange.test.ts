import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db.js';
import { testDatabase } from '../../test/harness.js';
import { TRANSACT_COLUMNS } from '../dialect.js';
import { rowsOf } from '../sql-rows.js';
import { createNestingSync, type NestingSync } from '../sync-worker.js';
import { count, releaseDemoJobs, testNestingConfig } from '../test-support.js';
import { toCsv } from './csv-write.js';
import { fileSource, RESULT_COLUMNS } from './inbound-files.js';
import { fileTarget } from './outbound-files.js';

describe('file exchange: work orders out as CSV, nest results in, bad files set aside whole', () => {
  let database: Database & { drop: () => Promise<void> };
  const root = mkdtempSync(join(tmpdir(), 'kerf-files-'));
  const outDir = join(root, 'out');
  const inDir = join(root, 'in');
  let sync: NestingSync;
  let crash = false;
  let job: { number: string; part: string; material: string; thickness: number };

  beforeAll(async () => {
    database = await testDatabase();
    const config = testNestingConfig({ mode: 'files', outboxDir: outDir, inboxDir: inDir });
    sync = createNestingSync(database.db, config, fileTarget(outDir), fileSource(inDir), {
      hooks: {
        afterSend: () => {
          if (crash) throw new Error('crash after writing the file');
        },
      },
    });
    await releaseDemoJobs(database.db, 2);
    const row = (
      await rowsOf<{ job_number: string; part_number: string; material_code: string; thickness: string }>(
        database.db,
        sql`SELECT j.job_number, p.part_number, p.material_code, p.thickness FROM jobs j JOIN parts p ON p.job_id = j.id
            WHERE EXISTS (SELECT 1 FROM job_routings r WHERE r.job_id = j.id AND r.work_center_type = 'laser')
            ORDER BY j.job_number, p.part_number LIMIT 1`,
      )
    )[0]!;
    job = {
      number: row.job_number,
      part: row.part_number,
      material: row.material_code,
      thickness: Number(row.thickness),
    };
  });
  afterAll(async () => database?.drop());

  it('writes one CSV per outbox row atomically, and a retry rewrites the same file', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inDir, { recursive: true });
    const queued = await count(database.db, 'nesting_outbox');
    crash = true;
    await expect(sync.runOnce()).rejects.toThrow(/crash/);
    crash = false;
    expect(readdirSync(outDir)).toHaveLength(1);
    const result = await sync.runOnce();
    expect(result).toMatchObject({ sent: queued, error: null });
    const files = readdirSync(outDir);
    expect(files).toHaveLength(queued);
    expect(files.every((f) => /^K[0-9a-f]{7}\.csv$/.test(f))).toBe(true);
    const release = (
      await rowsOf<{ trans_id: string }>(
        database.db,
        sql`SELECT trans_id FROM nesting_outbox WHERE kind = 'job.release' ORDER BY id LIMIT 1`,
      )
    )[0]!;
    const rows = parse(readFileSync(join(outDir, `${release.trans_id}.csv`), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(rows[0]!)).toEqual([...TRANSACT_COLUMNS]);
    expect(rows.filter((r) => r.TransType === 'SN85').length).toBeGreaterThan(0);
    expect(rows.every((r) => r.TransID!.startsWith(release.trans_id) && r.TransID!.length === 10)).toBe(true);
  });

  const resultFile = (packet: string, lines: Record<string, unknown>[]) =>
    toCsv(
      RESULT_COLUMNS,
      lines.map((l) => ({ ArchivePacketID: packet, RepeatID: 1, ...l })),
    );
  const goodLines = (): Record<string, unknown>[] => [
    {
      Record: 'PRG',
      TransType: 'SN100',
      ProgramName: 'F-001',
      SheetName: 'S-48x96',
      Material: job.material,
      Thickness: job.thickness,
      SheetLength: 96,
      SheetWidth: 48,
      UsedArea: 3000,
      ScrapFraction: 0.35,
      CuttingTime: 900,
      PierceQty: 20,
      MachineName: 'LASER-01',
      NCFile: 'F-001.nc',
    },
    {
      Record: 'PIP',
      TransType: 'SN100',
      ProgramName: 'F-001',
      WONumber: job.number,
      PartName: job.part,
      QtyInProcess: 3,
      CuttingTime: 120,
      CuttingLength: 80,
      PierceQty: 2,
    },
  ];

  it('applies a good result file once, moves it to processed/, and a second copy of the packet changes nothing', async () => {
    const db = database.db;
    const stock = async () =>
      (await rowsOf<{ n: number }>(db, sql`SELECT sum(quantity)::int AS n FROM materials`))[0]!.n;
    const before = await stock();
    writeFileSync(join(inDir, 'nests-1.csv'), resultFile('77', goodLines()));
    expect(await sync.runOnce()).toMatchObject({ packetsApplied: 1, packetsRejected: 0 });
    expect(readdirSync(join(inDir, 'processed'))).toEqual(['nests-1.csv']);
    expect(await count(db, 'nest_results', "program_name = 'F-001' AND status = 'posted'")).toBe(1);
    expect(await count(db, 'nest_parts')).toBe(1);
    expect(await stock()).toBe(before - 1);
    const t = (await rowsOf<{ cut_seconds: string }>(db, sql`SELECT cut_seconds FROM nest_job_times`))[0]!;
    expect(Number(t.cut_seconds)).toBe(360);

    writeFileSync(join(inDir, 'nests-1-again.csv'), resultFile('77', goodLines()));
    expect(await sync.runOnce()).toMatchObject({ packetsApplied: 0, packetsRejected: 0 });
    expect(readdirSync(join(inDir, 'processed')).sort()).toEqual(['nests-1-again.csv', 'nests-1.csv']);
    expect(await count(db, 'nest_parts')).toBe(1);
    expect(await stock()).toBe(before - 1);
  });

  it('moves malformed files to rejected/ with a report naming each line and field; nothing of them applies', async () => {
    const db = database.db;
    const nests = await count(db, 'nest_results');
    const bad = goodLines();
    bad[0] = { ...bad[0]!, ProgramName: 'F-002' };
    bad[1] = { ...bad[1]!, ProgramName: 'F-002', QtyInProcess: -2 };
    writeFileSync(
      join(inDir, 'a-bad-rows.csv'),
      resultFile('78', [...bad, { Record: 'PRG', TransType: 'SN109', ProgramName: 'F-003' }]),
    );
    writeFileSync(join(inDir, 'b-not-csv.csv'), 'Record,TransType\n"PRG,SN100\n');
    writeFileSync(
      join(inDir, 'c-columns.csv'),
      'Record,TransType,ArchivePacketID,ProgramName,RepeatID,Colour\nPRG,SN100,79,F-004,1,red\n',
    );
    const result = await sync.runOnce();
    expect(result).toMatchObject({ packetsApplied: 0, packetsRejected: 3 });
    expect(readdirSync(join(inDir, 'rejected')).sort()).toEqual([
      'a-bad-rows.csv',
      'a-bad-rows.csv.error.txt',
      'b-not-csv.csv',
      'b-not-csv.csv.error.txt',
      'c-columns.csv',
      'c-columns.csv.error.txt',
    ]);
    const report = readFileSync(join(inDir, 'rejected', 'a-bad-rows.csv.error.txt'), 'utf8');
    expect(report).toContain('line 3: QtyInProcess: must be an integer >= 1, got "-2"');
    expect(report).toContain('line 4: TransType: must be SN100, SN101 or SN102, got "SN109"');
    expect(readFileSync(join(inDir, 'rejected', 'b-not-csv.csv.error.txt'), 'utf8')).toMatch(/not valid CSV/);
    expect(readFileSync(join(inDir, 'rejected', 'c-columns.csv.error.txt'), 'utf8')).toMatch(
      /unknown column\(s\) Colour/,
    );
    expect(await count(db, 'nest_results')).toBe(nests);
    expect(await count(db, 'nest_rejections')).toBe(3);
    expect(existsSync(join(inDir, 'a-bad-rows.csv'))).toBe(false);
    // Files written by Kerf never leave temp files behind.
    expect(readdirSync(outDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the worker runs on its schedule: a new outbox row is written within the poll interval once started', async () => {
    const db = database.db;
    const config = testNestingConfig({ mode: 'files', outboxDir: outDir, inboxDir: inDir, pollSeconds: 1 });
    const timed = createNestingSync(db, config, fileTarget(outDir), fileSource(inDir));
    const before = readdirSync(outDir).length;
    await db.execute(
      sql`UPDATE nesting_outbox SET status = 'pending', next_attempt_at = now() WHERE kind = 'job.release'`,
    );
    await db.execute(sql`DELETE FROM nesting_outbox WHERE kind <> 'job.release'`);
    const { rmSync } = await import('node:fs');
    for (const f of readdirSync(outDir)) rmSync(join(outDir, f));
    timed.start();
    try {
      const deadline = Date.now() + 10_000;
      while (readdirSync(outDir).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await timed.stop();
    }
    expect(before).toBeGreaterThan(0);
    expect(readdirSync(outDir).length).toBe(await count(db, 'nesting_outbox', "status = 'sent'"));
    expect(await count(db, 'nesting_outbox', "status = 'pending'")).toBe(0);
  });
});
