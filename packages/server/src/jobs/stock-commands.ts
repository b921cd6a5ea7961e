import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import './events.js';
import { materials } from './tables.js';

/** What a command needs besides the transaction: who acts, and where its event goes. */
export interface CommandDeps {
  actor: Actor;
  events: Pick<EventBus, 'record'>;
}

export interface SheetSpec {
  code: string;
  thickness: number;
  width: number;
  length: number;
}

const REMNANT = 'REMNANT';

/** The stock row of full sheets for a spec, either orientation, fullest first, locked. */
async function lockSheetRow(tx: Db, s: SheetSpec) {
  return (
    await tx
      .select()
      .from(materials)
      .where(
        and(
          eq(materials.code, s.code),
          sql`abs(${materials.thickness} - ${s.thickness}) < 0.0001`,
          sql`((abs(${materials.sheetWidth} - ${s.width}) < 0.01 AND abs(${materials.sheetLength} - ${s.length}) < 0.01)
            OR (abs(${materials.sheetWidth} - ${s.length}) < 0.01 AND abs(${materials.sheetLength} - ${s.width}) < 0.01))`,
          sql`upper(coalesce(${materials.location}, '')) <> ${REMNANT}`,
        ),
      )
      .orderBy(sql`${materials.quantity} DESC`, materials.id)
      .limit(1)
      .for('update')
  )[0];
}

async function changeQuantity(
  tx: Db,
  deps: CommandDeps,
  before: typeof materials.$inferSelect,
  delta: number,
  reason: string,
) {
  // Stock never goes below zero: SigmaNEST may cut sheets Kerf never had on record.
  const quantity = Math.max(before.quantity + delta, 0);
  const after = (
    await tx
      .update(materials)
      .set({ quantity, version: before.version + 1, updatedAt: new Date() })
      .where(eq(materials.id, before.id))
      .returning()
  )[0]!;
  await recordAudit(tx, deps.actor, 'update', 'material', before.id, before, after);
  const change = quantity - before.quantity;
  if (change < 0)
    await deps.events.record(tx, { type: 'stock.consumed', materialId: before.id, quantity: -change, reason });
  else await deps.events.record(tx, { type: 'stock.added', materialId: before.id, quantity: change, reason });
  return after;
}

/**
 * Takes `quantity` full sheets of the spec out of stock. Returns the row taken from, or null
 * when Kerf has no such sheet (nothing changes, nothing is audited).
 */
export async function consumeStock(
  tx: Db,
  deps: CommandDeps,
  spec: SheetSpec,
  quantity: number,
  reason: string,
): Promise<string | null> {
  const row = await lockSheetRow(tx, spec);
  if (!row) return null;
  await changeQuantity(tx, deps, row, -quantity, reason);
  return row.id;
}

/** Puts sheets back on a stock row (a deleted or replaced nest gives back what it took). */
export async function returnStock(
  tx: Db,
  deps: CommandDeps,
  materialId: string,
  quantity: number,
  reason: string,
): Promise<void> {
  if (quantity <= 0) return;
  const row = (await tx.select().from(materials).where(eq(materials.id, materialId)).for('update').limit(1))[0];
  if (!row) return;
  await changeQuantity(tx, deps, row, quantity, reason);
}

/** One remnant sheet into stock, on the REMNANT row of its size (created when new). */
export async function addRemnant(tx: Db, deps: CommandDeps, spec: SheetSpec, name: string): Promise<void> {
  const reason = `remnant ${name}`;
  const row = await lockRemnantRow(tx, spec);
  if (row) {
    await changeQuantity(tx, deps, row, 1, reason);
    return;
  }
  const created = (
    await tx
      .insert(materials)
      .values({
        code: spec.code,
        description: reason,
        thickness: spec.thickness,
        sheetWidth: spec.width,
        sheetLength: spec.length,
        quantity: 1,
        location: REMNANT,
      })
      .returning()
  )[0]!;
  await recordAudit(tx, deps.actor, 'create', 'material', created.id, null, created);
  await deps.events.record(tx, { type: 'stock.added', materialId: created.id, quantity: 1, reason });
}

/** One remnant sheet out of stock (cut again); nothing when Kerf has none of that size. */
export async function consumeRemnant(tx: Db, deps: CommandDeps, spec: SheetSpec, name: string): Promise<void> {
  const row = await lockRemnantRow(tx, spec);
  if (row) await changeQuantity(tx, deps, row, -1, `remnant ${name}`);
}

async function lockRemnantRow(tx: Db, s: SheetSpec) {
  return (
    await tx
      .select()
      .from(materials)
      .where(
        and(
          eq(materials.code, s.code),
          eq(materials.sheetWidth, s.width),
          eq(materials.sheetLength, s.length),
          eq(materials.location, REMNANT),
        ),
      )
      .for('update')
      .limit(1)
  )[0];
}
