import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, getJob, updateJob } from '../jobs/job-service.js';
import type { Database } from '../platform/db.js';
import { testDatabase } from '../test/harness.js';
import { applyPacket } from './apply-packet.js';
import type { SimTransEmulator } from './emulator/emulator.js';
import { testEmulator } from './emulator/test-emulator.js';
import { pollFeedback, simTransSource } from './inbound-sync.js';
import { retryOutbox } from './outbox-admin.js';
import { simTransTarget } from './outbound-sync.js';
import { rowsOf } from './sql-rows.js';
import { nestingStatus } from './status-service.js';
import { createNestingSync, type NestingSync } from './sync-worker.js';
import { count, RELEASER, releaseDemoJobs, testNestingConfig } from './test-support.js';

const config = testNestingConfig();

describe('SimTrans sync faults: nothing lost, nothing doubled', () => {
  let database: Database & { drop: () => Promise<void> };
  let emu: { emulator: SimTransEmulator; drop: () => Promise<void> };
  let e: SimTransEmulator;
  let afterSend: ((transId: string) => void) | undefined;
  let sync: NestingSync;
  const sum = async (table: string, col: string, where = 'true') =>
    (await e.query<{ n: number }>(`SELECT coalesce(sum("${col}"), 0)::int AS n FROM "${table}" WHERE ${where}`))[0]!.n;

  beforeAll(async () => {
    database = await testDatabase();
    emu = await testEmulator();
    e = emu.emulator;
    sync = createNestingSync(database.db, config, simTransTarget(e.connection(), 1), simTransSource(e.connection()), {
      hooks: { afterSend: (entry) => afterSend?.(entry.trans_id) },
    });
  });
  afterAll(async () => {
    await emu?.drop();
    await database?.drop();
  });

  it('SimTrans going down mid-sync loses nothing: the rest is sent when it is back, no attempt counted', async () => {
    const db = database.db;
    await releaseDemoJobs(db, 6);
    const queued = await count(db, 'nesting_outbox');
    let sends = 0;
    afterSend = () => {
      if (++sends === 3) e.goDown();
    };
    const first = await sync.runOnce();
    expect(first.sent).toBe(3);
    expect(first.error).toMatch(/ECONNREFUSED/);
    expect(await count(db, 'nesting_outbox', "status = 'sent'")).toBe(3);
    expect(await count(db, 'nesting_outbox', "status = 'pending' AND attempts = 0")).toBe(queued - 3);
    const status = await nestingStatus(db, config);
    expect(status.connection.up).toBe(false);
    expect(status.connection.nextAttemptAt).not.toBeNull();
    expect(status.outbound).toMatchObject({ pending: queued - 3, sent: 3, failed: 0, dead: 0 });

    const whileDown = await sync.runOnce();
    expect(whileDown).toMatchObject({ sent: 0, error: expect.stringMatching(/ECONNREFUSED/) as unknown });
    expect(await count(db, 'nesting_outbox', "status = 'pending' AND attempts = 0")).toBe(queued - 3);

    e.comeUp();
    afterSend = undefined;
    const back = await sync.runOnce();
    expect(back).toMatchObject({ sent: queued - 3, failed: 0, dead: 0, error: null });
    expect((await nestingStatus(db, config)).connection.up).toBe(true);
    const parts = await count(db, 'parts');
    const run = await e.processTransactions();
    expect(run.errors).toBe(0);
    // Every part once, with its Kerf quantity.
    expect(await e.count('Part')).toBe(parts);
    const kerfQty = (await rowsOf<{ n: number }>(db, sql`SELECT sum(quantity)::int AS n FROM parts`))[0]!.n;
    expect(await sum('Part', 'QtyOrdered')).toBe(kerfQty);
    expect(await e.count('TransActLog', `WHERE "Status" = 'complete'`)).toBe(run.completed);
  });

  it('a crash between send and mark re-sends nothing: the retry finds its TransIDs and a quantity is not doubled', async () => {
    const db = database.db;
    const job = (await rowsOf<{ id: string }>(db, sql`SELECT id FROM jobs ORDER BY job_number LIMIT 1`))[0]!;
    const before = await getJob(db, job.id);
    const part = before.parts[0]!;
    const newParts = before.parts.map((p) => ({
      partNumber: p.partNumber,
      revision: p.revision,
      quantity: p === part ? p.quantity + 5 : p.quantity,
      materialCode: p.materialCode,
      thickness: p.thickness,
      ...(p.dxfPath ? { dxfPath: p.dxfPath } : {}),
    }));
    await updateJob(db, RELEASER, job.id, before.version, { parts: newParts });
    const change = (
      await rowsOf<{ trans_id: string }>(db, sql`SELECT trans_id FROM nesting_outbox WHERE kind = 'job.change'`)
    )[0]!;

    afterSend = () => {
      throw new Error('kerf crashed after the TransAct insert');
    };
    await expect(sync.runOnce()).rejects.toThrow(/crashed/);
    expect(await count(db, 'nesting_outbox', `trans_id = '${change.trans_id}' AND status = 'pending'`)).toBe(1);
    expect(await e.count('TransAct', `WHERE "TransID" LIKE '${change.trans_id}%'`)).toBe(1);
    afterSend = undefined;
    // Retry while the row still waits in TransAct: not inserted again.
    expect(await sync.runOnce()).toMatchObject({ sent: 1, error: null });
    expect(await e.count('TransAct', `WHERE "TransID" LIKE '${change.trans_id}%'`)).toBe(1);
    await e.processTransactions();

    // Same crash, but SimTrans runs the row before Kerf retries: the log says complete, nothing is re-sent.
    const mid = await getJob(db, job.id);
    await updateJob(db, RELEASER, job.id, mid.version, {
      parts: newParts.map((p) => (p.partNumber === part.partNumber ? { ...p, quantity: p.quantity + 1 } : p)),
    });
    afterSend = () => {
      throw new Error('kerf crashed after the TransAct insert');
    };
    await expect(sync.runOnce()).rejects.toThrow(/crashed/);
    afterSend = undefined;
    await e.processTransactions();
    expect(await sync.runOnce()).toMatchObject({ sent: 1, error: null });
    await e.processTransactions();
    expect(await e.count('TransAct')).toBe(0);
    expect(await e.count('TransActLog', `WHERE "TransType" = 'SN81'`)).toBe(2);
    const qty = await e.query<{ q: number }>(
      `SELECT "QtyOrdered" AS q FROM "Part" WHERE "WoNumber" = $1 AND "PartName" = $2`,
      [before.jobNumber, part.partNumber],
    );
    expect(qty[0]!.q).toBe(part.quantity + 6);
  });

  it('a TransAct row SimTrans flags with ErrorTag is surfaced with its reason, retried with backoff and dead-lettered', async () => {
    const db = database.db;
    const job = await createJob(db, RELEASER, {
      jobNumber: 'NOLIB-1',
      product: 'Bracket from the part library',
      quantity: 2,
      dueDate: '2026-12-20T22:00:00.000Z',
      status: 'released',
      parts: [{ partNumber: 'BRK-LIB-9', quantity: 2, materialCode: 'SS304', thickness: 0.0625 }],
    });
    const entry = (
      await rowsOf<{ id: number; trans_id: string }>(
        db,
        sql`SELECT id::int AS id, trans_id FROM nesting_outbox WHERE job_id = ${job.id}`,
      )
    )[0]!;
    for (let attempt = 1; attempt <= config.maxAttempts; attempt++) {
      await sync.runOnce();
      const run = await e.processTransactions();
      expect(run).toEqual({ completed: 0, errors: 1 });
    }
    await sync.runOnce();
    const row = (
      await rowsOf<{ status: string; attempts: number; last_error: string }>(
        db,
        sql`SELECT status, attempts, last_error FROM nesting_outbox WHERE id = ${entry.id}`,
      )
    )[0]!;
    expect(row).toMatchObject({ status: 'dead', attempts: config.maxAttempts });
    expect(row.last_error).toMatch(/SN84 .*Part BRK-LIB-9 not found in the part library/);
    expect(await count(db, 'nesting_errors', `outbox_id = ${entry.id}`)).toBe(config.maxAttempts);
    // Rejected rows are taken out of TransAct; a dead letter is not sent again.
    expect(await e.count('TransAct')).toBe(0);
    expect(await sync.runOnce()).toMatchObject({ sent: 0 });
    expect(await e.count('TransAct')).toBe(0);
    expect((await nestingStatus(db, config)).outbound.dead).toBe(1);

    // Someone adds the part to the SigmaNEST library; the admin retries the dead letter.
    await e.query(
      `INSERT INTO "Part" ("WoNumber", "PartName", "QtyOrdered", "Material", "Thickness", "Length", "Width") VALUES ('LIBRARY', 'BRK-LIB-9', 0, 'SS304', 0.0625, 8, 6)`,
    );
    await e.query(`INSERT INTO "Wo" ("WoNumber") VALUES ('LIBRARY')`);
    const retried = await retryOutbox(db, RELEASER, entry.id);
    expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
    expect(retried.errors).toHaveLength(config.maxAttempts);
    expect(await sync.runOnce()).toMatchObject({ sent: 1 });
    expect(await e.processTransactions()).toEqual({ completed: 1, errors: 0 });
    expect(await e.count('Part', `WHERE "WoNumber" = 'NOLIB-1'`)).toBe(1);
  });

  it('feedback: a re-post and a packet delivered twice are applied once; a deleted program gives its sheet back', async () => {
    const db = database.db;
    const nested = await e.nest();
    expect(nested.programs.length).toBeGreaterThan(1);
    expect((await sync.runOnce()).packetsApplied).toBe(1);
    const nests = await count(db, 'nest_results');
    const parts = await count(db, 'nest_parts');
    const stock = async () =>
      (await rowsOf<{ n: number }>(db, sql`SELECT sum(quantity)::int AS n FROM materials`))[0]!.n;
    const stockAfterPost = await stock();
    const cut = async () =>
      (await rowsOf<{ s: string }>(db, sql`SELECT sum(cut_seconds) AS s FROM nest_job_times`))[0]!.s;
    const cutAfterPost = await cut();

    await e.repost(nested.programs[0]!);
    expect((await sync.runOnce()).packetsApplied).toBe(1);
    expect(await count(db, 'nest_results')).toBe(nests);
    expect(await count(db, 'nest_parts')).toBe(parts);
    expect(await stock()).toBe(stockAfterPost);
    expect(await cut()).toBe(cutAfterPost);

    // Crash after Kerf committed a packet but before the feedback rows were deleted.
    const packet = await e.repost(nested.programs[1]!);
    const source = simTransSource(e.connection());
    expect((await applyPacket(db, await source.read(String(packet)))).applied).toBe(true);
    expect(await e.count('STPrgARC')).toBe(2);
    expect(await pollFeedback(db, source)).toEqual({ applied: 0, rejected: 0, cleaned: 1 });
    expect(await e.count('STPrgARC')).toBe(0);
    expect(await count(db, 'nest_results')).toBe(nests);
    expect(await stock()).toBe(stockAfterPost);

    await e.deleteProgram(nested.programs[0]!);
    expect((await sync.runOnce()).packetsApplied).toBe(1);
    expect(await count(db, 'nest_results', "status = 'deleted'")).toBe(1);
    expect(await stock()).toBe(stockAfterPost + 1);
  });

  it('a malformed feedback packet is refused whole with the reason and stays for someone to fix', async () => {
    const db = database.db;
    const nests = await count(db, 'nest_results');
    const applied = await count(db, 'nest_packets', "status = 'applied'");
    // A good program, and a part line on a program that exists nowhere: nothing of the packet applies.
    await e.query(
      `INSERT INTO "STPrgARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "SheetName", "CuttingTime", "PierceQty")
       VALUES (9001, 'SN100', 'PGOOD', 1, 'S1', 120, 4)`,
    );
    await e.query(
      `INSERT INTO "STPIPARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "PartName", "WONumber", "QtyInProcess")
       VALUES (9001, 'SN100', 'PGHOST', 1, 'X-1', 'NOLIB-1', 1)`,
    );
    await e.query(
      `INSERT INTO "STPrgARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "SheetName", "CuttingTime", "PierceQty")
       VALUES (9002, 'SN100', 'PBAD', 1, 'S1', -5, 4)`,
    );
    const result = await sync.runOnce();
    expect(result).toMatchObject({ packetsApplied: 0, packetsRejected: 2 });
    const reasons = (await rowsOf<{ reason: string }>(db, sql`SELECT reason FROM nest_rejections ORDER BY id`)).map(
      (r) => r.reason,
    );
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/PGHOST.*neither in the packet nor known/);
    expect(reasons[1]).toMatch(/STPrgARC row 1 \(packet 9002\): CuttingTime: must be a number >= 0, got "-5"/);
    expect(await count(db, 'nest_results')).toBe(nests);
    expect(await count(db, 'nest_results', "program_name = 'PGOOD'")).toBe(0);
    expect(await count(db, 'nest_packets', "status = 'applied'")).toBe(applied);
    expect(await e.count('STPrgARC')).toBe(2);
    // Not re-read and re-reported every poll.
    expect(await sync.runOnce()).toMatchObject({ packetsRejected: 0 });
    expect(await count(db, 'nest_rejections')).toBe(2);
    expect((await nestingStatus(db, config)).inbound.packetsRejected).toBe(2);
  });
});
