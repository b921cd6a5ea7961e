import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../test/harness.js';
import { applyPacket } from './apply-packet.js';
import type { FeedbackPacket, PartFeedback, ProgramFeedback } from './packet.js';

const JOB = '00000000-0000-4000-8000-0000000000a1';
const LASER = '00000000-0000-4000-8000-0000000000b1';
const SHEETS = '00000000-0000-4000-8000-0000000000d1';

const program = (transType: 'SN100' | 'SN101'): ProgramFeedback => ({
  transType,
  programName: 'P1',
  repeatId: 1,
  sheetName: 'S1',
  material: 'S235',
  thickness: 3,
  // the other orientation of the stock row: either matches
  sheetLength: 1500,
  sheetWidth: 3000,
  sheetQty: 2,
  usedArea: null,
  scrapFraction: 0.2,
  cuttingTime: 600,
  pierceQty: 10,
  machine: 'LAS-1',
  ncFile: 'P1.nc',
  postedAt: new Date('2026-12-07T08:00:00Z'),
});
const part = (transType: 'SN100' | 'SN101'): PartFeedback => ({
  transType,
  programName: 'P1',
  repeatId: 1,
  woNumber: 'J-1',
  partName: 'BRACKET',
  qty: 10,
  partLength: 100,
  partWidth: 50,
  cuttingTime: 48,
  cuttingLength: 900,
  pierceQty: 2,
});
const packet = (packetId: string, transType: 'SN100' | 'SN101', remnants = false): FeedbackPacket =>
  ({
    packetId,
    source: 'test',
    programs: [program(transType)],
    parts: transType === 'SN100' ? [part(transType)] : [],
    remnants: remnants
      ? [{ transType: 'SN100', remnantName: 'R1', material: 'S235', thickness: 3, length: 800, width: 400 }]
      : [],
    completed: 0,
  }) as FeedbackPacket;

describe('nesting feedback changes stock and routing times through audited jobs commands', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    database = await testDatabase();
    await database.exec(`
      INSERT INTO jobs (id, job_number, product, quantity, due_date, status) VALUES
        ('${JOB}', 'J-1', 'Bracket', 10, '2026-12-20T00:00Z', 'released');
      INSERT INTO job_routings (id, job_id, sequence, operation_code, work_center_type, run_minutes_per_unit, quantity)
        VALUES ('${LASER}', '${JOB}', 10, 'CUT', 'laser', 5, 10);
      INSERT INTO materials (id, code, thickness, sheet_width, sheet_length, quantity, location)
        VALUES ('${SHEETS}', 'S235', 3, 1500, 3000, 20, 'RACK-1');
    `);
  });
  afterAll(async () => database?.drop());

  const counts = async () => {
    const rows = await database.query<{ entity: string; n: number }>(
      `SELECT entity, count(*)::int AS n FROM audit_log WHERE actor_id = 'nesting' GROUP BY entity`,
    );
    const events = await database.query<{ type: string; n: number }>(
      `SELECT type, count(*)::int AS n FROM domain_events GROUP BY type`,
    );
    return {
      audit: Object.fromEntries(rows.map((r) => [r.entity, r.n])),
      events: Object.fromEntries(events.map((r) => [r.type, r.n])),
    };
  };
  const stock = async () =>
    (await database.query<{ quantity: number }>(`SELECT quantity FROM materials WHERE id = $1`, [SHEETS]))[0]!.quantity;
  const runMinutes = async () =>
    Number(
      (
        await database.query<{ m: string }>(`SELECT run_minutes_per_unit AS m FROM job_routings WHERE id = $1`, [LASER])
      )[0]!.m,
    );

  it('a post writes one audit row and one event per stock change and per retimed step', async () => {
    expect(await counts()).toEqual({ audit: {}, events: {} });
    expect((await applyPacket(database.db, packet('K1', 'SN100', true))).applied).toBe(true);
    expect(await stock()).toBe(18);
    // 48 s x 10 parts = 480 s for 10 units: 0.8 min per unit
    expect(await runMinutes()).toBe(0.8);
    expect(await counts()).toEqual({
      audit: { material: 2, job_routing: 1 },
      events: { 'stock.consumed': 1, 'stock.added': 1, 'routing-step.retimed': 1 },
    });
    const consumed = await database.query<{ payload: { materialId: string; quantity: number } }>(
      `SELECT payload FROM domain_events WHERE type = 'stock.consumed'`,
    );
    expect(consumed[0]!.payload).toMatchObject({ materialId: SHEETS, quantity: 2 });
    const audit = await database.query<{ before: { quantity: number }; after: { quantity: number } }>(
      `SELECT before, after FROM audit_log WHERE entity = 'material' AND entity_id = $1`,
      [SHEETS],
    );
    expect([audit[0]!.before.quantity, audit[0]!.after.quantity]).toEqual([20, 18]);
  });

  it('the same packet again changes nothing and records nothing', async () => {
    const before = await counts();
    expect((await applyPacket(database.db, packet('K1', 'SN100', true))).applied).toBe(false);
    expect(await counts()).toEqual(before);
    expect(await stock()).toBe(18);
  });

  it('a re-post of the same nest gives back and takes again; the unchanged time is not retimed', async () => {
    expect((await applyPacket(database.db, packet('K2', 'SN100'))).applied).toBe(true);
    expect(await stock()).toBe(18);
    expect(await counts()).toEqual({
      audit: { material: 4, job_routing: 1 },
      events: { 'stock.consumed': 2, 'stock.added': 2, 'routing-step.retimed': 1 },
    });
  });

  it('a deleted program gives its sheets back, audited, with an event', async () => {
    expect((await applyPacket(database.db, packet('K3', 'SN101'))).applied).toBe(true);
    expect(await stock()).toBe(20);
    expect((await counts()).events['stock.added']).toBe(3);
    expect((await counts()).audit.material).toBe(5);
  });

  it('a refused packet leaves no audit row and no event behind', async () => {
    const before = await counts();
    const bad = {
      ...packet('K4', 'SN100'),
      parts: [{ ...part('SN100'), programName: 'NOWHERE' }],
    } as FeedbackPacket;
    await expect(applyPacket(database.db, bad)).rejects.toThrow(/neither in the packet nor known/);
    expect(await counts()).toEqual(before);
    expect(await stock()).toBe(20);
  });
});
