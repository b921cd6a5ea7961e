import { RULES } from '@kerf/solver';
import { Type } from 'typebox';
import { Code, DateTime, Nullable, OneOf, OneOfColumn, strict, Uuid } from '../platform/http/schemas.js';
import { SLOT_STATUSES } from '../planning/slot-schemas.js';

export const QueueQuery = strict(
  Type.Object({
    rule: Type.Optional(
      OneOf(RULES, {
        description: 'rank ready work by this dispatch rule; omitted: follow the published plan (equal starts by EDD)',
      }),
    ),
  }),
);

export const QueueOrderBody = strict(
  Type.Object({
    slotIds: Type.Array(Uuid, {
      minItems: 1,
      maxItems: 5000,
      description: 'waiting slots of this queue, first to run first; unlisted ones follow in plan order',
    }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
);

const SlotStatus = OneOfColumn(SLOT_STATUSES);

const WaitingOn = Type.Object({
  routingId: Uuid,
  sequence: Type.Integer(),
  operationCode: Type.String(),
  workCenterId: Nullable(Code),
  status: OneOfColumn([...SLOT_STATUSES, 'unscheduled']),
});

const QueueItem = Type.Object({
  position: Type.Integer({ description: '1 = runs next (running work first)' }),
  slotId: Uuid,
  version: Type.Integer(),
  status: SlotStatus,
  running: Type.Boolean(),
  ready: Type.Boolean({ description: 'every upstream step is complete' }),
  waitingOn: Type.Array(WaitingOn),
  jobId: Uuid,
  jobNumber: Type.String(),
  customer: Nullable(Type.String()),
  dueDate: DateTime,
  priority: Type.Integer(),
  routingId: Uuid,
  sequence: Type.Integer(),
  operationCode: Type.String(),
  processingMinutes: Type.Number(),
  remainingJobMinutes: Type.Number(),
  criticalRatio: Nullable(Type.Number({ description: 'below 1: behind' })),
  slackMinutes: Type.Integer(),
  plannedStart: DateTime,
  plannedEnd: DateTime,
});

export const Queue = Type.Object(
  {
    workCenter: Type.Object({ id: Code, name: Type.String(), down: Type.Boolean() }),
    message: Nullable(Type.String()),
    rule: Nullable(OneOf(RULES)),
    orderedBy: OneOf(['plan', 'rule', 'override']),
    now: DateTime,
    override: Nullable(
      Type.Object({
        applied: Type.Boolean(),
        stale: Type.Boolean(),
        reason: Type.String(),
        setBy: Type.String(),
        setAt: DateTime,
        slotIds: Type.Array(Uuid),
      }),
    ),
    total: Type.Integer(),
    ready: Type.Integer(),
    items: Type.Array(QueueItem),
  },
  { title: 'Queue' },
);

export const QueueOrder = Type.Object(
  {
    workCenterId: Code,
    slotIds: Type.Array(Uuid),
    reason: Type.String(),
    setBy: Type.String(),
    setAt: DateTime,
    version: Type.Integer(),
  },
  { title: 'QueueOrder' },
);

export const QueueOrderCleared = Type.Object({ workCenterId: Code, cleared: Type.Boolean() });
