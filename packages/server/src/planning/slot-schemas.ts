import { Type } from 'typebox';
import {
  Code,
  DateTime,
  DateTimeInput,
  listQuery,
  Nullable,
  RowMeta,
  strict,
  Uuid,
  OneOf,
  OneOfColumn,
  nameSchemas,
} from '../platform/http/schemas.js';

export const SLOT_STATUSES = ['scheduled', 'queued', 'in_progress', 'complete', 'delayed', 'cancelled'] as const;

export const Slot = Type.Object({
  id: Uuid,
  routingId: Uuid,
  workCenterId: Type.String(),
  plannedStart: DateTime,
  plannedEnd: DateTime,
  actualStart: Nullable(DateTime),
  actualEnd: Nullable(DateTime),
  status: OneOfColumn(SLOT_STATUSES),
  operatorId: Nullable(Type.String()),
  delayReason: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  jobId: Uuid,
  jobNumber: Type.String(),
  sequence: Type.Integer(),
  operationCode: Type.String(),
  ...RowMeta,
});

export const SlotQuery = listQuery({
  from: Type.Optional(DateTimeInput),
  to: Type.Optional(DateTimeInput),
  workCenterId: Type.Optional(Type.String()),
  status: Type.Optional(OneOf(SLOT_STATUSES)),
  jobId: Type.Optional(Uuid),
});

export const SlotCreate = strict(
  Type.Object({
    routingId: Uuid,
    workCenterId: Code,
    plannedStart: DateTimeInput,
    plannedEnd: DateTimeInput,
    notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  }),
);

export const SlotMove = strict(
  Type.Object({
    workCenterId: Type.Optional(Code),
    plannedStart: DateTimeInput,
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    dryRun: Type.Optional(Type.Boolean({ description: 'answer the consequences without changing anything' })),
  }),
);

export const SlotCancel = strict(
  Type.Object({
    reason: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
);

const SlotPlace = Type.Object({ workCenterId: Type.String(), plannedStart: DateTime, plannedEnd: DateTime });

/** A move's answer: the slot, and what it does to the rest of the schedule (dry run or committed). */
export const SlotMoveAnswer = Type.Object({
  slot: Slot,
  committed: Type.Boolean(),
  consequences: Type.Object({
    retimed: Type.Array(
      Type.Object({
        slotId: Uuid,
        jobNumber: Type.String(),
        operationCode: Type.String(),
        reason: Type.String(),
        from: SlotPlace,
        to: SlotPlace,
      }),
    ),
    lateJobs: Type.Array(
      Type.Object({
        jobNumber: Type.String(),
        dueDate: DateTime,
        plannedEnd: DateTime,
        wasLate: Type.Boolean(),
        lateByMinutes: Type.Integer(),
      }),
    ),
  }),
});

nameSchemas({ Slot, SlotMoveAnswer });
