import { Type } from 'typebox';
import { DateTime, DateTimeInput, nameSchemas, Nullable, OneOf, strict, Uuid } from '../platform/http/schemas.js';

/** How many transactions one request may carry; the offline queue sends its backlog in pages. */
export const MAX_BATCH = 500;

// Each field is checked per transaction by the service, so one bad transaction is a `rejected`
// result naming its field, not a 400 for the whole batch (the contract: a batch mixes outcomes).
export const FloorTransaction = Type.Object(
  {
    id: Type.String({ maxLength: 64, description: 'UUID made by the device; resending it is a no-op' }),
    deviceId: Type.String({ maxLength: 100 }),
    seq: Type.Integer({ description: 'per-device sequence number; a device applies in this order' }),
    at: Type.String({ maxLength: 40, description: 'when it happened, ISO date-time on the device clock' }),
    type: Type.String({ maxLength: 20, description: 'start | pause | resume | finish | count | clock_in | clock_out' }),
    operationId: Type.Optional(Type.String({ maxLength: 64, description: 'routing step id (not for clock_in/out)' })),
    employee: Type.Optional(Type.String({ maxLength: 64, description: 'badge or user id' })),
    good: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
    scrap: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
    reason: Type.Optional(Type.String({ maxLength: 50, description: 'reason code (GET /api/v1/floor/reasons)' })),
    override: Type.Optional(Type.Boolean({ description: 'a supervisor starts work the queue does not offer yet' })),
  },
  { additionalProperties: false },
);

export const FloorTransactionBatch = strict(
  Type.Object({
    transactions: Type.Array(FloorTransaction, { minItems: 1, maxItems: MAX_BATCH }),
    sentAt: Type.Optional(DateTimeInput),
  }),
);

export const FloorResult = Type.Object({
  id: Type.String(),
  status: OneOf(['applied', 'duplicate', 'rejected', 'conflict']),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

export const FloorResults = Type.Object({ results: Type.Array(FloorResult) });

export const FloorOperation = Type.Object({
  operationId: Uuid,
  jobId: Uuid,
  jobNumber: Type.String(),
  sequence: Type.Integer(),
  operationCode: Type.String(),
  quantity: Type.Integer(),
  status: OneOf(['not_started', 'running', 'paused', 'finished']),
  actualStart: Nullable(DateTime),
  actualEnd: Nullable(DateTime),
  good: Type.Integer(),
  scrap: Type.Integer(),
  pauseReason: Nullable(Type.String()),
  overrunReason: Nullable(Type.String()),
  laborMinutes: Type.Number({ description: 'people time, split across operations worked at once' }),
  working: Type.Array(Type.Object({ employeeId: Uuid, since: DateTime })),
});

export const FloorReason = Type.Object({
  code: Type.String(),
  kind: OneOf(['pause', 'scrap', 'overrun', 'downtime', 'quality', 'material']),
  label: Type.String(),
  parentCode: Nullable(Type.String()),
});

const FloorQueueItem = Type.Object({
  position: Type.Integer({ description: '1 = runs next (running work first)' }),
  slotId: Uuid,
  operationId: Uuid,
  revision: Type.Integer({ description: 'the routing step version a traveler prints in its OP code' }),
  jobId: Uuid,
  jobNumber: Type.String(),
  customer: Nullable(Type.String()),
  dueDate: DateTime,
  priority: Type.Integer(),
  sequence: Type.Integer(),
  operationCode: Type.String(),
  ready: Type.Boolean({ description: 'every upstream step is complete: an operator may start it' }),
  waitingOn: Type.Array(Type.String()),
  plannedStart: DateTime,
  plannedEnd: DateTime,
  processingMinutes: Type.Number(),
  floorStatus: OneOf(['not_started', 'running', 'paused', 'finished']),
  quantity: Type.Integer(),
  good: Type.Integer(),
  scrap: Type.Integer(),
  remaining: Type.Integer(),
  parts: Type.Array(
    Type.Object({
      partNumber: Type.String(),
      revision: Type.String(),
      quantity: Type.Integer(),
      material: Type.String(),
      thickness: Type.Number(),
      drawing: Nullable(Type.String({ description: 'drawing or NC file reference' })),
    }),
  ),
  notes: Type.Array(Type.String()),
  next: Nullable(Type.Object({ sequence: Type.Integer(), operationCode: Type.String(), workCenter: Type.String() })),
});

export const FloorQueue = Type.Object({
  workCenter: Type.Object({ id: Type.String(), name: Type.String(), down: Type.Boolean() }),
  message: Nullable(Type.String()),
  now: DateTime,
  items: Type.Array(FloorQueueItem),
});

export const MyFloorState = Type.Object({
  employeeId: Uuid,
  clockedIn: Type.Boolean(),
  since: Nullable(DateTime),
  lastClockOut: Nullable(DateTime),
  lastAutoClosed: Type.Boolean({ description: 'the last shift was closed at its end because nobody clocked out' }),
  working: Type.Array(Type.Object({ operationId: Uuid, since: DateTime })),
});

export const FloorProblem = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  seq: Type.Integer(),
  type: Type.String(),
  operationId: Nullable(Uuid),
  employeeId: Nullable(Uuid),
  stationId: Nullable(Uuid),
  at: Nullable(DateTime),
  receivedAt: DateTime,
  status: OneOf(['rejected', 'conflict']),
  message: Type.String(),
  field: Nullable(Type.String()),
});

export const FloorProblemQuery = Type.Object({
  sinceHours: Type.Integer({ minimum: 1, maximum: 24 * 31, default: 48 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
});

nameSchemas({
  MyFloorState,
  FloorProblem,
  FloorQueue,
  FloorTransaction,
  FloorResult,
  FloorOperation,
  FloorReason,
});
