import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FeedbackSource } from '../inbound-sync.js';
import { fieldReader, PacketError, type FeedbackPacket, type PartFeedback, type ProgramFeedback } from '../packet.js';

export const RESULT_COLUMNS = [
  'Record',
  'TransType',
  'ArchivePacketID',
  'ProgramName',
  'RepeatID',
  'SheetName',
  'Material',
  'Thickness',
  'SheetLength',
  'SheetWidth',
  'SheetQty',
  'UsedArea',
  'ScrapFraction',
  'CuttingTime',
  'PierceQty',
  'CuttingLength',
  'MachineName',
  'NCFile',
  'WONumber',
  'PartName',
  'QtyInProcess',
] as const;

/** Parses one nest result file (docs/nesting.md); throws PacketError naming the line and field. */
export function parseResultFile(name: string, text: string): FeedbackPacket {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    throw new PacketError(`${name}: not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (records.length === 0) throw new PacketError(`${name}: no rows`);
  const header = Object.keys(records[0]!);
  const missing = ['Record', 'TransType', 'ArchivePacketID', 'ProgramName', 'RepeatID'].filter(
    (c) => !header.includes(c),
  );
  if (missing.length) throw new PacketError(`${name}: missing column(s) ${missing.join(', ')}`);
  const unknown = header.filter((c) => !(RESULT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) throw new PacketError(`${name}: unknown column(s) ${unknown.join(', ')}`);
  const errors: string[] = [];
  const programs: ProgramFeedback[] = [];
  const parts: PartFeedback[] = [];
  const packetIds = new Set<string>();
  records.forEach((row, i) => {
    const f = fieldReader(`line ${i + 2}`, row);
    try {
      packetIds.add(f.text('ArchivePacketID'));
      const kind = f.text('Record');
      const transType = f.transType();
      const programName = f.text('ProgramName');
      const repeatId = f.int('RepeatID');
      if (kind === 'PRG') {
        const posted = transType !== 'SN101';
        programs.push({
          transType,
          programName,
          repeatId,
          sheetName: posted ? f.text('SheetName') : f.optText('SheetName'),
          material: posted ? f.text('Material') : f.optText('Material'),
          thickness: posted ? f.reqNum('Thickness') : f.num('Thickness'),
          sheetLength: posted ? f.reqNum('SheetLength') : f.num('SheetLength'),
          sheetWidth: posted ? f.reqNum('SheetWidth') : f.num('SheetWidth'),
          sheetQty: row.SheetQty ? f.int('SheetQty', 1) : 1,
          usedArea: f.num('UsedArea'),
          scrapFraction: f.num('ScrapFraction', 0, 1),
          cuttingTime: posted ? f.reqNum('CuttingTime') : f.num('CuttingTime'),
          pierceQty: f.num('PierceQty'),
          machine: f.optText('MachineName'),
          ncFile: f.optText('NCFile') ?? `${programName}.nc`,
          postedAt: null,
        });
      } else if (kind === 'PIP') {
        parts.push({
          transType,
          programName,
          repeatId,
          woNumber: f.text('WONumber'),
          partName: f.text('PartName'),
          qty: f.int('QtyInProcess', 1),
          partLength: null,
          partWidth: null,
          cuttingTime: f.num('CuttingTime'),
          cuttingLength: f.num('CuttingLength'),
          pierceQty: f.num('PierceQty'),
        });
      } else {
        throw new PacketError(`line ${i + 2}: Record: must be PRG or PIP, got "${kind}"`);
      }
    } catch (err) {
      if (!(err instanceof PacketError)) throw err;
      errors.push(err.message);
    }
  });
  if (packetIds.size > 1) errors.push(`ArchivePacketID: one file is one packet, found ${[...packetIds].join(', ')}`);
  if (errors.length) throw new PacketError(`${name}: ${errors.join('; ')}`);
  return {
    packetId: `file-${[...packetIds][0]!}`,
    source: `file ${name}`,
    programs,
    parts,
    remnants: [],
    completed: 0,
  };
}

/**
 * Files mode inbound: `*.csv` in the inbox are packets. Applied files move to `processed/`;
 * refused ones to `rejected/` with `<name>.error.txt` (nothing of them is applied).
 */
export function fileSource(inboxDir: string): FeedbackSource {
  const idToFile = new Map<string, string>();
  const move = (file: string, folder: string) => {
    mkdirSync(join(inboxDir, folder), { recursive: true });
    renameSync(join(inboxDir, file), join(inboxDir, folder, file));
  };
  return {
    name: 'files',
    async packetIds(limit) {
      if (!existsSync(inboxDir))
        throw Object.assign(new Error(`inbox folder ${inboxDir} does not exist`), { code: 'ENOTFOUND' });
      const files = readdirSync(inboxDir)
        .filter((f) => f.toLowerCase().endsWith('.csv') && !f.startsWith('.'))
        .sort()
        .slice(0, limit);
      idToFile.clear();
      // Packet ids are file names here; the packet's own id is known once the file is parsed.
      for (const f of files) idToFile.set(`file:${f}`, f);
      return [...idToFile.keys()];
    },
    async read(id) {
      const file = idToFile.get(id);
      if (!file) throw new PacketError(`${id}: no such file`);
      return parseResultFile(file, readFileSync(join(inboxDir, file), 'utf8'));
    },
    async consume(id) {
      const file = idToFile.get(id);
      if (file && existsSync(join(inboxDir, file))) move(file, 'processed');
    },
    async reject(id, reason) {
      const file = idToFile.get(id);
      if (!file || !existsSync(join(inboxDir, file))) return;
      move(file, 'rejected');
      writeFileSync(join(inboxDir, 'rejected', `${file}.error.txt`), `${reason.split('; ').join('\n')}\n`);
    },
  };
}
