/** One feedback packet (ArchivePacketID) normalised from the STxxARC tables or a result file. */

export type FeedbackTransType = 'SN100' | 'SN101' | 'SN102';

export interface ProgramFeedback {
  transType: FeedbackTransType;
  programName: string;
  repeatId: number;
  sheetName: string | null;
  material: string | null;
  thickness: number | null;
  sheetLength: number | null;
  sheetWidth: number | null;
  sheetQty: number;
  usedArea: number | null;
  scrapFraction: number | null;
  cuttingTime: number | null;
  pierceQty: number | null;
  machine: string | null;
  ncFile: string | null;
  postedAt: Date | null;
}

export interface PartFeedback {
  transType: FeedbackTransType;
  programName: string;
  repeatId: number;
  woNumber: string;
  partName: string;
  qty: number;
  partLength: number | null;
  partWidth: number | null;
  /** seconds per part */
  cuttingTime: number | null;
  /** per part */
  cuttingLength: number | null;
  pierceQty: number | null;
}

export interface RemnantFeedback {
  transType: FeedbackTransType;
  remnantName: string;
  material: string;
  thickness: number;
  length: number;
  width: number;
}

export interface FeedbackPacket {
  packetId: string;
  source: string;
  programs: ProgramFeedback[];
  parts: PartFeedback[];
  remnants: RemnantFeedback[];
  /** STPrtARC rows (completed parts), consumed with the packet */
  completed: number;
}

/** A row of a packet that cannot be applied; the whole packet is refused. */
export class PacketError extends Error {}

export const TRANS_TYPES: readonly FeedbackTransType[] = ['SN100', 'SN101', 'SN102'];

type Raw = Record<string, unknown>;

/** Field readers that name what is wrong: "STPrgARC row 3: CuttingTime: must be a number >= 0". */
export function fieldReader(where: string, row: Raw) {
  const fail = (col: string, what: string): never => {
    throw new PacketError(`${where}: ${col}: ${what}`);
  };
  const present = (col: string) => row[col] !== null && row[col] !== undefined && row[col] !== '';
  return {
    text(col: string): string {
      if (!present(col)) fail(col, 'is required');
      return String(row[col]).trim();
    },
    optText(col: string): string | null {
      return present(col) ? String(row[col]).trim() : null;
    },
    num(col: string, min = 0, max = Number.POSITIVE_INFINITY): number | null {
      if (!present(col)) return null;
      const n = Number(row[col]);
      if (!Number.isFinite(n) || n < min || n > max)
        fail(
          col,
          `must be a number ${max === Number.POSITIVE_INFINITY ? `>= ${min}` : `between ${min} and ${max}`}, got "${String(row[col])}"`,
        );
      return n;
    },
    reqNum(col: string, min = 0): number {
      if (!present(col)) fail(col, 'is required');
      const n = Number(row[col]);
      if (!Number.isFinite(n) || n < min) fail(col, `must be a number >= ${min}, got "${String(row[col])}"`);
      return n;
    },
    int(col: string, min = 0): number {
      if (!present(col)) fail(col, 'is required');
      const n = Number(row[col]);
      if (!Number.isInteger(n) || n < min) fail(col, `must be an integer >= ${min}, got "${String(row[col])}"`);
      return n;
    },
    transType(col = 'TransType'): FeedbackTransType {
      const v = present(col) ? String(row[col]).trim() : '';
      if (!(TRANS_TYPES as readonly string[]).includes(v)) fail(col, `must be SN100, SN101 or SN102, got "${v}"`);
      return v as FeedbackTransType;
    },
    date(col: string): Date | null {
      if (!present(col)) return null;
      const d = row[col] instanceof Date ? (row[col] as Date) : new Date(String(row[col]));
      if (Number.isNaN(d.getTime())) fail(col, `must be a date, got "${String(row[col])}"`);
      return d;
    },
  };
}

/** Builds a packet from the STxxARC rows of one ArchivePacketID; throws PacketError naming the bad row. */
export function packetFromTables(packetId: string, tables: Record<string, Raw[]>): FeedbackPacket {
  const sheets = new Map<string, Raw>();
  (tables.STShtARC ?? []).forEach((row, i) => {
    const f = fieldReader(`STShtARC row ${i + 1}`, row);
    const program = f.optText('ProgramName');
    const sheet = f.text('SheetName');
    sheets.set(program ? `${program}|${f.int('RepeatID')}` : sheet, row);
    sheets.set(sheet, row);
  });
  const programs = (tables.STPrgARC ?? []).map((row, i): ProgramFeedback => {
    const f = fieldReader(`STPrgARC row ${i + 1} (packet ${packetId})`, row);
    const transType = f.transType();
    const programName = f.text('ProgramName');
    const repeatId = f.int('RepeatID');
    const sheetName = f.optText('SheetName');
    const sht = sheets.get(`${programName}|${repeatId}`) ?? (sheetName ? sheets.get(sheetName) : undefined);
    const s = sht ? fieldReader(`STShtARC of ${programName}`, sht) : undefined;
    const p: ProgramFeedback = {
      transType,
      programName,
      repeatId,
      sheetName,
      material: s?.optText('Material') ?? null,
      thickness: s?.num('Thickness') ?? null,
      sheetLength: s?.num('Length') ?? null,
      sheetWidth: s?.num('Width') ?? null,
      sheetQty: row.QtyInProcess === null || row.QtyInProcess === undefined ? 1 : f.int('QtyInProcess'),
      usedArea: f.num('UsedArea'),
      scrapFraction: f.num('ScrapFraction', 0, 1),
      cuttingTime: f.num('CuttingTime'),
      pierceQty: f.num('PierceQty'),
      machine: f.optText('MachineName'),
      ncFile: `${programName}.nc`,
      postedAt: f.date('PostDateTime'),
    };
    if (transType !== 'SN101') f.reqNum('CuttingTime');
    return p;
  });
  const parts = (tables.STPIPARC ?? []).map((row, i): PartFeedback => {
    const f = fieldReader(`STPIPARC row ${i + 1} (packet ${packetId})`, row);
    return {
      transType: f.transType(),
      programName: f.text('ProgramName'),
      repeatId: f.int('RepeatID'),
      woNumber: f.text('WONumber'),
      partName: f.text('PartName'),
      qty: f.int('QtyInProcess', 1),
      partLength: f.num('PartLength'),
      partWidth: f.num('PartWidth'),
      cuttingTime: f.num('CuttingTime'),
      cuttingLength: f.num('CuttingLength'),
      pierceQty: f.num('PierceQty'),
    };
  });
  const remnants = (tables.STRemARC ?? []).map((row, i): RemnantFeedback => {
    const f = fieldReader(`STRemARC row ${i + 1} (packet ${packetId})`, row);
    return {
      transType: f.transType(),
      remnantName: f.text('RemnantName'),
      material: f.text('Material'),
      thickness: f.reqNum('Thickness'),
      length: f.reqNum('Length'),
      width: f.reqNum('Width'),
    };
  });
  return { packetId, source: 'simtrans', programs, parts, remnants, completed: (tables.STPrtARC ?? []).length };
}
