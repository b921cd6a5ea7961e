import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, getJob, updateJob } from '../jobs/job-service.js';
import { materialService } from '../jobs/services.js';
import type { Database } from '../platform/db.js';
import { testDatabase } from '../test/harness.js';
import type { SimTransEmulator } from './emulator/emulator.js';
import { testEmulator } from './emulator/test-emulator.js';
import { simTransSource } from './inbound-sync.js';
import { simTransTarget } from './outbound-sync.js';
import { createNestingSync, type NestingSync } from './sync-worker.js';
import { count, RELEASER, testNestingConfig } from './test-support.js';

describe('job changes after release reach SigmaNEST with the right SN codes', () => {
  let database: Database & { drop: () => Promise<void> };
  let emu: { emulator: SimTransEmulator; drop: () => Promise<void> };
  let e: SimTransEmulator;
  let sync: NestingSync;
  let jobId: string;
  const config = testNestingConfig();
  const wo = async () =>
    (await e.query<{ OnHold: boolean; Priority: number }>(`SELECT * FROM "Wo" WHERE "WoNumber" = 'J-CH-1'`))[0];
  const parts = async () =>
    (
      await e.query<{ PartName: string; QtyOrdered: number; QtyInProcess: number }>(
        `SELECT "PartName", "QtyOrdered", "QtyInProcess" FROM "Part" WHERE "WoNumber" = 'J-CH-1' ORDER BY 1`,
      )
    ).map((p) => [p.PartName, p.QtyOrdered, p.QtyInProcess]);
  const step = async () => {
    await sync.runOnce();
    return e.processTransactions();
  };
  const edit = async (changes: Parameters<typeof updateJob>[4]) => {
    const job = await getJob(database.db, jobId);
    await updateJob(database.db, RELEASER, jobId, job.version, changes);
  };
  const part = (partNumber: string, quantity: number) => ({
    partNumber,
    quantity,
    materialCode: 'GALV',
    thickness: 0.0635,
    dxfPath: `//cad/${partNumber}.dxf`,
  });

  beforeAll(async () => {
    database = await testDatabase();
    emu = await testEmulator();
    e = emu.emulator;
    sync = createNestingSync(database.db, config, simTransTarget(e.connection(), 1), simTransSource(e.connection()));
    await materialService.create(database.db, RELEASER, {
      code: 'GALV',
      thickness: 0.0635,
      sheetWidth: 48,
      sheetLength: 96,
      quantity: 10,
      location: 'RACK-D',
    });
    const job = await createJob(database.db, RELEASER, {
      jobNumber: 'J-CH-1',
      product: 'Door frame set',
      quantity: 2,
      dueDate: '2026-12-18T22:00:00.000Z',
      priority: 3,
      parts: [part('FR-HEAD', 2), part('FR-JAMB', 4)],
    });
    jobId = job.id;
  });
  afterAll(async () => {
    await emu?.drop();
    await database?.drop();
  });

  it('a planned job sends nothing; release sends it; quantity, added and removed parts follow (SN81, SN85, SN82)', async () => {
    expect(await count(database.db, 'nesting_outbox', "kind LIKE 'job.%'")).toBe(0);
    await edit({ status: 'released' });
    expect(await step()).toEqual({ completed: 4, errors: 0 }); // SN60 GALV, SN91A sheet, SN85 x2
    expect(await parts()).toEqual([
      ['FR-HEAD', 2, 0],
      ['FR-JAMB', 4, 0],
    ]);
    await edit({ parts: [part('FR-HEAD', 3), part('FR-SILL', 1)] });
    expect(await step()).toEqual({ completed: 3, errors: 0 });
    expect(await parts()).toEqual([
      ['FR-HEAD', 3, 0],
      ['FR-SILL', 1, 0],
    ]);
  });

  it('hold stops nesting (SN87 OnHold), un-hold and a new priority follow, held parts are nested after', async () => {
    await edit({ status: 'on_hold' });
    expect(await step()).toEqual({ completed: 1, errors: 0 });
    expect((await wo())!.OnHold).toBe(true);
    expect((await e.nest()).programs).toEqual([]);
    await edit({ status: 'released' });
    await edit({ priority: 1 });
    expect(await step()).toEqual({ completed: 2, errors: 0 });
    expect(await wo()).toMatchObject({ OnHold: false, Priority: 1 });
    const nested = await e.nest();
    expect(nested.programs).toHaveLength(1);
    expect(await parts()).toEqual([
      ['FR-HEAD', 3, 3],
      ['FR-SILL', 1, 1],
    ]);
  });

  it('the known failure conditions come back as reasons: a part in process cannot be cancelled or cut below what is nested', async () => {
    await edit({ parts: [part('FR-HEAD', 1)] });
    expect(await step()).toEqual({ completed: 0, errors: 2 });
    // With an hour of backoff the rejected row waits (the shared worker here retries at once).
    const patient = createNestingSync(
      database.db,
      testNestingConfig({ backoffSeconds: 3600 }),
      simTransTarget(e.connection(), 1),
      simTransSource(e.connection()),
    );
    expect(await patient.runOnce()).toMatchObject({ failed: 1, sent: 0 });
    expect(await e.count('TransAct')).toBe(0);
    const errors = await database.query<{ trans_type: string; reason: string }>(
      'SELECT trans_type, reason FROM nesting_errors ORDER BY trans_id',
    );
    expect(errors).toEqual([
      { trans_type: 'SN81', reason: 'Quantity 1 is below the quantity in process and completed' },
      { trans_type: 'SN82', reason: 'Part in process' },
    ]);
    expect(await count(database.db, 'nesting_outbox', "status = 'failed' AND attempts = 1")).toBe(1);
  });

  it('cancel (SN89) removes what is not in process and keeps the nested parts', async () => {
    await database.exec(`UPDATE nesting_outbox SET status = 'discarded' WHERE status = 'failed'`);
    await edit({ status: 'cancelled' });
    expect(await step()).toEqual({ completed: 1, errors: 0 });
    expect(await parts()).toEqual([
      ['FR-HEAD', 3, 3],
      ['FR-SILL', 1, 1],
    ]);
    expect(await e.count('TransActLog', `WHERE "TransType" = 'SN89' AND "Status" = 'complete'`)).toBe(1);
  });
});
