/** What each outbox row carries: a snapshot taken in the transaction of the Kerf change. */

export interface JobHeaderPayload {
  jobId: string;
  jobNumber: string;
  product: string;
  dueDate: string;
  priority: number;
  customer: string | null;
}

export interface PartPayload {
  partId: string;
  partNumber: string;
  revision: string;
  quantity: number;
  materialCode: string;
  thickness: number;
  dxfPath: string | null;
}

export interface SheetPayload {
  materialId: string;
  sheetName: string;
  material: string;
  thickness: number;
  width: number;
  length: number;
  quantity: number;
  location: string | null;
  remnant: boolean;
  fileName: string | null;
}

export type OutboxMessage =
  | { kind: 'job.release'; job: JobHeaderPayload; parts: PartPayload[] }
  | {
      kind: 'job.change';
      job: JobHeaderPayload;
      added: PartPayload[];
      changed: { partNumber: string; quantity: number }[];
      removed: { partNumber: string }[];
    }
  | { kind: 'job.header' | 'job.hold'; job: JobHeaderPayload; onHold: boolean }
  | { kind: 'job.cancel'; job: JobHeaderPayload }
  | { kind: 'stock.upsert' | 'stock.remove'; sheet: SheetPayload };

export type OutboxKind = OutboxMessage['kind'];
