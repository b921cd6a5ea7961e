import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimTransDb, SqlRunner } from '../simtrans-db.js';
import { packShelves, type Rect } from './packer.js';
import { EMULATOR_SCHEMA_SQL } from './schema.js';
import { applyTransAct, TransError, type TransRow } from './transact-rules.js';

export interface EmulatorOptions {
  district?: number;
  /** laser feed rate, length units per minute */
  feedRate?: number;
  pierceSeconds?: number;
  machine?: string;
  /** where NC programs are written (absent: not written) */
  ncDir?: string;
}

const seqSql = `CREATE SEQUENCE IF NOT EXISTS "ArchivePacketSeq"; CREATE SEQUENCE IF NOT EXISTS "ProgramSeq";`;

const holesOf = (name: string) => createHash('sha256').update(name).digest()[2]! % 4;

/**
 * Plays SimTrans (applies TransAct rows with the documented rules and errors) and SigmaNEST
 * (nests parts onto sheets, posts STxxARC feedback) on PostgreSQL/PGlite. Tests drive it step by
 * step; `connection()` is the handle Kerf's sync worker gets, which `goDown()` breaks.
 */
export class SimTransEmulator {
  private down = false;
  private readonly forced = new Map<string, string>();
  private readonly o: Required<Omit<EmulatorOptions, 'ncDir'>> & { ncDir: string | undefined };

  private constructor(
    private readonly db: SimTransDb,
    options: EmulatorOptions,
  ) {
    this.o = {
      district: options.district ?? 1,
      feedRate: options.feedRate ?? 400,
      pierceSeconds: options.pierceSeconds ?? 1.5,
      machine: options.machine ?? 'LASER-01',
      ncDir: options.ncDir,
    };
  }

  static async create(db: SimTransDb, options: EmulatorOptions = {}): Promise<SimTransEmulator> {
    for (const stmt of `${EMULATOR_SCHEMA_SQL}${seqSql}`.split(';').filter((s) => s.trim())) await db.query(stmt);
    return new SimTransEmulator(db, options);
  }

  /** Kerf's view of the databases: fails like a dead server while the emulator is down. */
  connection(): SimTransDb {
    const gate = () => {
      if (this.down)
        throw Object.assign(new Error('connect ECONNREFUSED (SimTrans emulator is down)'), { code: 'ECONNREFUSED' });
    };
    const db = this.db;
    return {
      dialect: db.dialect,
      query: async <T>(text: string, params?: unknown[]) => {
        gate();
        return db.query<T>(text, params);
      },
      transaction: async <T>(fn: (q: SqlRunner) => Promise<T>) => {
        gate();
        return db.transaction(async (q) =>
          fn({
            query: async <R>(t: string, p?: unknown[]) => {
              gate();
              return q.query<R>(t, p);
            },
          }),
        );
      },
      close: async () => undefined,
    };
  }

  goDown(): void {
    this.down = true;
  }
  comeUp(): void {
    this.down = false;
  }
  /** The next transaction of this type fails with `message` (e.g. a locked part file). */
  failNext(transType: string, message: string): void {
    this.forced.set(transType, message);
  }

  query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.db.query<T>(text, params);
  }
  async count(table: string, where = ''): Promise<number> {
    const rows = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" ${where}`);
    return rows[0]!.n;
  }

  /** One SimTrans poll: runs every waiting TransAct row, each atomically, in order. */
  async processTransactions(): Promise<{ completed: number; errors: number }> {
    const rows = await this.db.query<TransRow>(`SELECT * FROM "TransAct" WHERE NOT "ErrorTag" ORDER BY "AutoInc"`);
    let completed = 0;
    let errors = 0;
    for (const row of rows) {
      try {
        await this.db.transaction(async (q) => {
          await this.apply(q, row);
          await q.query(`DELETE FROM "TransAct" WHERE "AutoInc" = $1`, [row.AutoInc]);
          await q.query(
            `INSERT INTO "TransActLog" ("TransID", "TransType", "Status", "Message") VALUES ($1, $2, 'complete', 'Trans complete')`,
            [row.TransID, row.TransType],
          );
        });
        completed++;
      } catch (err) {
        if (!(err instanceof TransError)) throw err;
        errors++;
        await this.db.query(`UPDATE "TransAct" SET "ErrorTag" = true WHERE "AutoInc" = $1`, [row.AutoInc]);
        await this.db.query(
          `INSERT INTO "TransActLog" ("TransID", "TransType", "Status", "Message") VALUES ($1, $2, 'error', $3)`,
          [row.TransID, row.TransType, err.message],
        );
      }
    }
    return { completed, errors };
  }

  private async apply(q: SqlRunner, r: TransRow): Promise<void> {
    const forced = this.forced.get(r.TransType);
    if (forced) {
      this.forced.delete(r.TransType);
      throw new TransError(forced);
    }
    if (r.District !== this.o.district) throw new TransError(`District ${r.District} is not configured`);
    await applyTransAct(q, r);
  }

  private nextPacket = async (q: SqlRunner) =>
    (await q.query<{ id: number }>(`SELECT nextval('"ArchivePacketSeq"')::int AS id`))[0]!.id;

  /**
   * SigmaNEST nests every nestable part (work order not on hold, quantity left) onto sheets of
   * its material and thickness, one program per sheet, and posts them all in one packet.
   */
  async nest(): Promise<{ packetId: number | null; programs: string[]; unplaced: number }> {
    return this.db.transaction(async (q) => {
      const parts = await q.query<{
        WoNumber: string;
        PartName: string;
        left: number;
        Material: string;
        Thickness: number;
        Length: number;
        Width: number;
      }>(
        `SELECT p."WoNumber", p."PartName", (p."QtyOrdered" - p."QtyInProcess" - p."QtyCompleted")::int AS left,
                p."Material", p."Thickness", p."Length", p."Width"
         FROM "Part" p JOIN "Wo" w ON w."WoNumber" = p."WoNumber"
         WHERE NOT w."OnHold" AND p."QtyOrdered" > p."QtyInProcess" + p."QtyCompleted"
         ORDER BY p."Material", p."Thickness", p."WoNumber", p."PartName"`,
      );
      const groups = new Map<string, typeof parts>();
      for (const p of parts) {
        const key = `${p.Material}|${p.Thickness}`;
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      let packetId: number | null = null;
      const programs: string[] = [];
      let unplaced = 0;
      for (const group of groups.values()) {
        const { Material, Thickness } = group[0]!;
        let items: Rect[] = group.flatMap((p) =>
          Array.from({ length: p.left }, (_, i) => ({
            id: `${p.WoNumber}\u0000${p.PartName}\u0000${i}`,
            length: p.Length,
            width: p.Width,
          })),
        );
        const byKey = new Map(group.map((p) => [`${p.WoNumber}\u0000${p.PartName}`, p]));
        while (items.length > 0) {
          const sheet = (
            await q.query<{ SheetName: string; Length: number; Width: number }>(
              `SELECT "SheetName", "Length", "Width" FROM "Stock"
               WHERE "Material" = $1 AND abs("Thickness" - $2) < 0.00001 AND "Qty" > 0 AND "ItemType" = 0
               ORDER BY "Length" * "Width" DESC, "SheetName" LIMIT 1`,
              [Material, Thickness],
            )
          )[0];
          if (!sheet) break;
          const packed = packShelves(items, { length: sheet.Length, width: sheet.Width });
          if (packed.placed.length === 0) break;
          items = packed.rest;
          packetId ??= await this.nextPacket(q);
          const seq = (await q.query<{ n: number }>(`SELECT nextval('"ProgramSeq"')::int AS n`))[0]!.n;
          const program = `P${String(seq).padStart(6, '0')}`;
          programs.push(program);
          await this.postProgram(
            q,
            packetId,
            program,
            sheet,
            Material,
            Thickness,
            packed.placed,
            byKey,
            packed.usedWidth,
          );
        }
        unplaced += items.length;
      }
      return { packetId, programs, unplaced };
    });
  }

  private async postProgram(
    q: SqlRunner,
    packetId: number,
    program: string,
    sheet: { SheetName: string; Length: number; Width: number },
    material: string,
    thickness: number,
    placed: Rect[],
    byKey: Map<string, { WoNumber: string; PartName: string }>,
    usedWidth: number,
  ): Promise<void> {
    await q.query(`UPDATE "Stock" SET "Qty" = "Qty" - 1, "QtyInProcess" = "QtyInProcess" + 1 WHERE "SheetName" = $1`, [
      sheet.SheetName,
    ]);
    await q.query(`INSERT INTO "Program" ("ProgramName", "RepeatID", "SheetName") VALUES ($1, 1, $2)`, [
      program,
      sheet.SheetName,
    ]);
    const lines = new Map<string, { wo: string; part: string; qty: number; length: number; width: number }>();
    for (const r of placed) {
      const key = r.id.split('\u0000').slice(0, 2).join('\u0000');
      const p = byKey.get(key)!;
      const line = lines.get(key) ?? { wo: p.WoNumber, part: p.PartName, qty: 0, length: r.length, width: r.width };
      line.qty++;
      lines.set(key, line);
    }
    let used = 0;
    let time = 0;
    let pierces = 0;
    for (const l of lines.values()) {
      const holes = holesOf(l.part);
      const cutLength = 2 * (l.length + l.width) * (1 + 0.15 * holes);
      const piercesEach = 1 + holes;
      const secondsEach = (cutLength / this.o.feedRate) * 60 + piercesEach * this.o.pierceSeconds;
      used += l.length * l.width * l.qty;
      time += secondsEach * l.qty;
      pierces += piercesEach * l.qty;
      await q.query(
        `UPDATE "Part" SET "QtyInProcess" = "QtyInProcess" + $3 WHERE "WoNumber" = $1 AND "PartName" = $2`,
        [l.wo, l.part, l.qty],
      );
      await q.query(
        `INSERT INTO "ProgramPart" ("ProgramName", "RepeatID", "WoNumber", "PartName", "Qty") VALUES ($1, 1, $2, $3, $4)`,
        [program, l.wo, l.part, l.qty],
      );
      await q.query(
        `INSERT INTO "STPIPARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "PartName", "SheetName", "WONumber",
           "QtyInProcess", "PartLength", "PartWidth", "TrueArea", "RectArea", "CuttingTime", "CuttingLength", "PierceQty")
         VALUES ($1, 'SN100', $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          packetId,
          program,
          l.part,
          sheet.SheetName,
          l.wo,
          l.qty,
          l.length,
          l.width,
          l.length * l.width * 0.92,
          l.length * l.width,
          round(secondsEach),
          round(cutLength),
          piercesEach,
        ],
      );
    }
    const area = sheet.Length * sheet.Width;
    await q.query(
      `INSERT INTO "STPrgARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "SheetName", "UsedArea", "ScrapFraction",
         "QtyInProcess", "MachineName", "CuttingTime", "PierceQty", "PostDateTime")
       VALUES ($1, 'SN100', $2, 1, $3, $4, $5, 1, $6, $7, $8, now())`,
      [
        packetId,
        program,
        sheet.SheetName,
        round(used),
        round(1 - used / area, 4),
        this.o.machine,
        round(time),
        pierces,
      ],
    );
    await q.query(
      `INSERT INTO "STShtARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "SheetName", "Material", "Thickness", "Length", "Width", "Qty")
       VALUES ($1, 'SN100', $2, 1, $3, $4, $5, $6, $7, 1)`,
      [packetId, program, sheet.SheetName, material, thickness, sheet.Length, sheet.Width],
    );
    const remnantWidth = sheet.Width - usedWidth;
    if (remnantWidth >= 12) {
      await q.query(
        `INSERT INTO "STRemARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "RemnantName", "Material", "Thickness", "Length", "Width", "FileName")
         VALUES ($1, 'SN100', $2, 1, $3, $4, $5, $6, $7, $8)`,
        [
          packetId,
          program,
          `${program}-R1`,
          material,
          thickness,
          sheet.Length,
          round(remnantWidth, 3),
          `${program}-R1.dxf`,
        ],
      );
    }
    for (const t of ['STPrgARC', 'STPIPARC', 'STShtARC'])
      await q.query(`INSERT INTO "Arc_${t}" SELECT * FROM "${t}" WHERE "ProgramName" = $1 AND "ArchivePacketID" = $2`, [
        program,
        packetId,
      ]);
    if (this.o.ncDir) {
      mkdirSync(this.o.ncDir, { recursive: true });
      writeFileSync(join(this.o.ncDir, `${program}.nc`), `(${program} ${sheet.SheetName})\nG90\nM30\n`);
    }
  }

  /** Re-posts a program: SN101 and SN100 of it in one new packet (what a re-post looks like). */
  async repost(program: string): Promise<number> {
    return this.db.transaction(async (q) => {
      const packetId = await this.nextPacket(q);
      for (const table of ['STPrgARC', 'STPIPARC', 'STShtARC'] as const) {
        const copy = await q.query<Record<string, unknown>>(
          `SELECT * FROM "Arc_${table}" WHERE "ProgramName" = $1 AND "TransType" = 'SN100' ORDER BY "AutoInc" DESC`,
          [program],
        );
        if (copy.length === 0 && table === 'STPrgARC')
          throw new Error(`program ${program} has no posted feedback to re-post`);
        const latest = copy.filter((r) => r.ArchivePacketID === copy[0]!.ArchivePacketID);
        for (const transType of ['SN101', 'SN100']) {
          for (const row of latest) {
            const cols = Object.keys(row).filter((c) => c !== 'AutoInc');
            const values = cols.map((c) =>
              c === 'ArchivePacketID' ? packetId : c === 'TransType' ? transType : row[c],
            );
            await q.query(
              `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
              values,
            );
          }
        }
      }
      return packetId;
    });
  }

  /** Deletes a program (SN74): the sheet goes back to stock, its parts become nestable again, SN101 is posted. */
  async deleteProgram(program: string): Promise<number> {
    return this.db.transaction(async (q) => {
      const prg = (
        await q.query<{ SheetName: string }>(`SELECT "SheetName" FROM "Program" WHERE "ProgramName" = $1`, [program])
      )[0];
      if (!prg) throw new Error(`program ${program} does not exist`);
      const packetId = await this.nextPacket(q);
      await q.query(
        `UPDATE "Stock" SET "Qty" = "Qty" + 1, "QtyInProcess" = "QtyInProcess" - 1 WHERE "SheetName" = $1`,
        [prg.SheetName],
      );
      const lines = await q.query<{ WoNumber: string; PartName: string; Qty: number }>(
        `SELECT * FROM "ProgramPart" WHERE "ProgramName" = $1`,
        [program],
      );
      for (const l of lines) {
        await q.query(
          `UPDATE "Part" SET "QtyInProcess" = "QtyInProcess" - $3 WHERE "WoNumber" = $1 AND "PartName" = $2`,
          [l.WoNumber, l.PartName, l.Qty],
        );
      }
      await q.query(`DELETE FROM "ProgramPart" WHERE "ProgramName" = $1`, [program]);
      await q.query(`DELETE FROM "Program" WHERE "ProgramName" = $1`, [program]);
      await q.query(
        `INSERT INTO "STPrgARC" ("ArchivePacketID", "TransType", "ProgramName", "RepeatID", "SheetName", "PostDateTime")
         VALUES ($1, 'SN101', $2, 1, $3, now())`,
        [packetId, program, prg.SheetName],
      );
      return packetId;
    });
  }
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
