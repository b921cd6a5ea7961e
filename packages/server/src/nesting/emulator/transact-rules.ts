import { createHash } from 'node:crypto';
import type { SqlRunner } from '../simtrans-db.js';

/** A TransAct row SimTrans refuses: the row gets ErrorTag and the message goes to the log. */
export class TransError extends Error {}

export interface TransRow {
  AutoInc: number;
  TransType: string;
  District: number;
  TransID: string | null;
  OrderNo: string | null;
  ItemName: string | null;
  Qty: number | null;
  Material: string | null;
  Thickness: number | null;
  DueDate: Date | null;
  Customer: string | null;
  Priority: number | null;
  FileName: string | null;
  Length: number | null;
  Width: number | null;
  ItemType: number | null;
  OnHold: boolean | null;
}

/** Deterministic size for a CAD file the emulator cannot read: 4..40 × 3..24 from its name. */
export function partSizeOf(fileName: string): { length: number; width: number } {
  const h = createHash('sha256').update(fileName).digest();
  return { length: 4 + (h[0]! % 37), width: 3 + (h[1]! % 22) };
}

/**
 * SimTrans's rules for one TransAct row (manual ch. 3, PROTOCOLS.md section 3.3): what each SN code
 * inserts, changes or deletes, and the conditions under which it is refused with a TransError.
 */
export async function applyTransAct(q: SqlRunner, r: TransRow): Promise<void> {
  const one = async <T>(text: string, params: unknown[]) => (await q.query<T>(text, params))[0];
  const needMaterial = async () => {
    if (!r.Material) throw new TransError('Material is required');
    if (!(await one(`SELECT 1 FROM "Material" WHERE "Material" = $1`, [r.Material])))
      throw new TransError(`Material ${r.Material} does not exist`);
  };
  const needWo = async () => {
    if (!(await one(`SELECT 1 FROM "Wo" WHERE "WoNumber" = $1`, [r.OrderNo])))
      throw new TransError(`Work order ${r.OrderNo} does not exist`);
  };
  const partOf = () =>
    one<{ QtyInProcess: number; QtyCompleted: number }>(
      `SELECT * FROM "Part" WHERE "WoNumber" = $1 AND "PartName" = $2`,
      [r.OrderNo, r.ItemName],
    );
  switch (r.TransType) {
    case 'SN60':
      if (!r.Material) throw new TransError('Material is required');
      await q.query(`INSERT INTO "Material" ("Material") VALUES ($1) ON CONFLICT DO NOTHING`, [r.Material]);
      return;
    case 'SN84':
    case 'SN85': {
      if (!r.OrderNo || !r.ItemName) throw new TransError('OrderNo and ItemName are required');
      if (!r.Qty || r.Qty <= 0) throw new TransError('Quantity must be greater than zero');
      await needMaterial();
      if (await partOf()) throw new TransError(`Part ${r.ItemName} already exists in work order ${r.OrderNo}`);
      let size: { length: number; width: number };
      if (r.TransType === 'SN85') {
        if (!r.FileName) throw new TransError('FileName is required to add a CAD part');
        size = r.Length && r.Width ? { length: r.Length, width: r.Width } : partSizeOf(r.FileName);
      } else {
        const lib = await one<{ Length: number; Width: number }>(
          `SELECT "Length", "Width" FROM "Part" WHERE "PartName" = $1 LIMIT 1`,
          [r.ItemName],
        );
        if (!lib) throw new TransError(`Part ${r.ItemName} not found in the part library`);
        size = { length: lib.Length, width: lib.Width };
      }
      await q.query(
        `INSERT INTO "Wo" ("WoNumber", "Customer", "DueDate", "Priority") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [r.OrderNo, r.Customer, r.DueDate, r.Priority],
      );
      await q.query(
        `INSERT INTO "Part" ("WoNumber", "PartName", "QtyOrdered", "Material", "Thickness", "FileName", "Length", "Width")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [r.OrderNo, r.ItemName, r.Qty, r.Material, r.Thickness ?? 0, r.FileName, size.length, size.width],
      );
      return;
    }
    case 'SN81': {
      await needWo();
      const part = await partOf();
      if (!part) throw new TransError(`Part ${r.ItemName} is not in work order ${r.OrderNo}`);
      if ((r.Qty ?? -1) < part.QtyInProcess + part.QtyCompleted)
        throw new TransError(`Quantity ${r.Qty} is below the quantity in process and completed`);
      await q.query(`UPDATE "Part" SET "QtyOrdered" = $3 WHERE "WoNumber" = $1 AND "PartName" = $2`, [
        r.OrderNo,
        r.ItemName,
        r.Qty,
      ]);
      return;
    }
    case 'SN82': {
      await needWo();
      const part = await partOf();
      if (!part) throw new TransError(`Part ${r.ItemName} is not in work order ${r.OrderNo}`);
      if (part.QtyInProcess > 0) throw new TransError('Part in process');
      await q.query(`DELETE FROM "Part" WHERE "WoNumber" = $1 AND "PartName" = $2`, [r.OrderNo, r.ItemName]);
      return;
    }
    case 'SN87':
      await needWo();
      await q.query(
        `UPDATE "Wo" SET "DueDate" = COALESCE($2, "DueDate"), "Priority" = COALESCE($3, "Priority"),
           "Customer" = COALESCE($4, "Customer"), "OnHold" = COALESCE($5, "OnHold") WHERE "WoNumber" = $1`,
        [r.OrderNo, r.DueDate, r.Priority, r.Customer, r.OnHold],
      );
      return;
    case 'SN89':
      await needWo();
      await q.query(`DELETE FROM "Part" WHERE "WoNumber" = $1 AND "QtyInProcess" = 0`, [r.OrderNo]);
      await q.query(
        `DELETE FROM "Wo" WHERE "WoNumber" = $1 AND NOT EXISTS (SELECT 1 FROM "Part" WHERE "WoNumber" = $1)`,
        [r.OrderNo],
      );
      return;
    case 'SN91A':
    case 'SN97': {
      if (!r.ItemName) throw new TransError('ItemName (sheet name) is required');
      await needMaterial();
      if (r.TransType === 'SN97' && !r.FileName) throw new TransError('FileName (remnant DXF) is required for SN97');
      if (!r.Length || !r.Width || !r.Thickness) throw new TransError('Length, Width and Thickness are required');
      const qty = r.Qty ?? (r.TransType === 'SN97' ? 1 : 0);
      if (qty < 0) throw new TransError('Sheet quantity cannot be negative');
      await q.query(
        `INSERT INTO "Stock" ("SheetName", "Material", "Thickness", "Length", "Width", "Qty", "ItemType", "FileName")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT ("SheetName") DO UPDATE SET "Material" = $2, "Thickness" = $3, "Length" = $4, "Width" = $5, "Qty" = $6`,
        [r.ItemName, r.Material, r.Thickness, r.Length, r.Width, qty, r.TransType === 'SN97' ? 1 : 0, r.FileName],
      );
      return;
    }
    case 'SN92': {
      const sheet = await one<{ QtyInProcess: number }>(`SELECT "QtyInProcess" FROM "Stock" WHERE "SheetName" = $1`, [
        r.ItemName,
      ]);
      if (!sheet) throw new TransError(`Sheet ${r.ItemName} does not exist`);
      if (sheet.QtyInProcess > 0) throw new TransError('Sheet in process');
      await q.query(`DELETE FROM "Stock" WHERE "SheetName" = $1`, [r.ItemName]);
      return;
    }
    default:
      throw new TransError(`Unsupported transaction type ${r.TransType}`);
  }
}
