import type { TransActColumn } from './dialect.js';
import type { JobHeaderPayload, OutboxMessage, PartPayload, SheetPayload } from './outbox-payloads.js';

export type TransActRow = Partial<Record<TransActColumn, string | number | boolean | Date | null>> & {
  TransType: string;
  TransID: string;
  District: number;
};

const cut = (s: string | null | undefined, n: number) => (s == null ? null : s.slice(0, n));

/** TransID of the i-th TransAct row of an outbox row: its 8-character id + 2 base-36 digits = 10. */
export function rowTransId(outboxTransId: string, index: number): string {
  if (index >= 36 * 36) throw new Error(`outbox row ${outboxTransId} would need more than 1296 TransAct rows`);
  return `${outboxTransId}${index.toString(36).padStart(2, '0')}`;
}

function header(job: JobHeaderPayload) {
  return {
    OrderNo: cut(job.jobNumber, 50),
    DueDate: new Date(job.dueDate),
    Priority: job.priority,
    Customer: cut(job.customer, 50),
  };
}

function partRow(job: JobHeaderPayload, p: PartPayload) {
  return {
    // SN85 reads the geometry from the CAD file; without one the part must exist in SigmaNEST (SN84).
    TransType: p.dxfPath ? 'SN85' : 'SN84',
    ...header(job),
    ItemName: cut(p.partNumber, 100),
    RevNumber: cut(p.revision, 20),
    Qty: p.quantity,
    Material: cut(p.materialCode, 50),
    Thickness: p.thickness,
    FileName: cut(p.dxfPath, 255),
    DwgNumber: cut(p.partNumber, 50),
    Remark: cut(job.product, 80),
    ItemData1: job.jobId,
    ItemData2: p.partId,
  };
}

export function sheetName(s: {
  material: string;
  thickness: number;
  width: number;
  length: number;
  location: string | null;
}) {
  const loc = s.location ? `-${s.location}` : '';
  return `${s.material}-${s.thickness}-${s.width}x${s.length}${loc}`.slice(0, 50);
}

function sheetRow(s: SheetPayload) {
  return {
    TransType: s.remnant ? 'SN97' : 'SN91A',
    ItemName: cut(s.sheetName, 50),
    Qty: s.quantity,
    Material: cut(s.material, 50),
    Thickness: s.thickness,
    Width: s.width,
    Length: s.length,
    BinNumber: cut(s.location, 50),
    ItemType: s.remnant ? 1 : 0,
    FileName: cut(s.fileName, 255),
  };
}

/**
 * The TransAct rows of one outbox message, in the order SimTrans must run them: materials
 * SigmaNEST does not know yet first (SN60), then the work-order rows. Pure: unit-tested.
 */
export function transActRows(
  message: OutboxMessage,
  outboxTransId: string,
  district: number,
  knownMaterials: ReadonlySet<string>,
): { rows: TransActRow[]; newMaterials: string[] } {
  const body: Omit<TransActRow, 'TransID' | 'District'>[] = [];
  const needed: string[] = [];
  const need = (m: string) => {
    if (!knownMaterials.has(m) && !needed.includes(m)) needed.push(m);
  };
  switch (message.kind) {
    case 'job.release':
      for (const p of message.parts) {
        need(p.materialCode);
        body.push(partRow(message.job, p));
      }
      break;
    case 'job.change':
      for (const p of message.added) {
        need(p.materialCode);
        body.push(partRow(message.job, p));
      }
      for (const c of message.changed) {
        body.push({
          TransType: 'SN81',
          OrderNo: cut(message.job.jobNumber, 50),
          ItemName: cut(c.partNumber, 100),
          Qty: c.quantity,
        });
      }
      for (const r of message.removed) {
        body.push({ TransType: 'SN82', OrderNo: cut(message.job.jobNumber, 50), ItemName: cut(r.partNumber, 100) });
      }
      break;
    case 'job.header':
    case 'job.hold':
      body.push({ TransType: 'SN87', ...header(message.job), OnHold: message.onHold });
      break;
    case 'job.cancel':
      body.push({ TransType: 'SN89', OrderNo: cut(message.job.jobNumber, 50) });
      break;
    case 'stock.upsert':
      need(message.sheet.material);
      body.push(sheetRow(message.sheet));
      break;
    case 'stock.remove':
      body.push({ TransType: 'SN92', ItemName: cut(message.sheet.sheetName, 50) });
      break;
  }
  const all = [...needed.map((m) => ({ TransType: 'SN60', Material: cut(m, 50) })), ...body];
  return {
    rows: all.map((r, i) => ({ ...r, TransID: rowTransId(outboxTransId, i), District: district })),
    newMaterials: needed,
  };
}
