import { Type } from 'typebox';
import { DateTime, DateTimeInput, strict, OneOf, OneOfColumn, nameSchemas } from '../platform/http/schemas.js';
import { CONFLICT_KINDS } from './conflicts/types.js';

export const ConflictQuery = strict(
  Type.Object({
    from: Type.Optional(DateTimeInput),
    to: Type.Optional(DateTimeInput),
    workCenterId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    kind: Type.Optional(OneOf(CONFLICT_KINDS)),
  }),
);

const Conflict = Type.Object({
  kind: OneOfColumn(CONFLICT_KINDS),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  workCenterId: Type.Optional(Type.String()),
  slotIds: Type.Array(Type.String()),
  jobIds: Type.Array(Type.String()),
  jobNumbers: Type.Array(Type.String()),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  explanation: Type.String(),
});

export const ConflictReport = Type.Object({
  timeZone: Type.String(),
  total: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer()),
  items: Type.Array(Conflict),
});

export const BottleneckQuery = strict(
  Type.Object({
    from: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'default: from + 14 days' })),
  }),
);

const Pct = Type.Union([Type.Number(), Type.Null()], { description: 'load / capacity in %, null without capacity' });
const BucketLoad = Type.Object({
  key: Type.String({ description: 'local date YYYY-MM-DD or ISO week YYYY-Www' }),
  start: DateTime,
  end: DateTime,
  loadMinutes: Type.Integer(),
  capacityMinutes: Type.Integer(),
  utilisationPct: Pct,
});
const PathStep = Type.Object({
  slotId: Type.String(),
  workCenterId: Type.String(),
  jobNumber: Type.String(),
  operationCode: Type.String(),
  start: DateTime,
  end: DateTime,
  via: Type.Union([Type.Literal('last'), Type.Literal('routing'), Type.Literal('machine')]),
});

export const BottleneckReport = Type.Object({
  from: DateTime,
  to: DateTime,
  timeZone: Type.String(),
  workCenters: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      id: Type.String(),
      name: Type.String(),
      departmentId: Type.String(),
      isActive: Type.Boolean(),
      isBottleneck: Type.Boolean({ description: 'the flag as configured, for comparison' }),
      suggestBottleneck: Type.Boolean(),
      reason: Type.String(),
      capacitySource: Type.Union([Type.Literal('calendar'), Type.Literal('default'), Type.Literal('inactive')]),
      loadMinutes: Type.Integer(),
      capacityMinutes: Type.Integer(),
      utilisationPct: Pct,
      peakDay: Type.Union([Type.Object({ key: Type.String(), utilisationPct: Type.Number() }), Type.Null()]),
      queue: Type.Object({
        measured: Type.Integer(),
        averageMinutes: Type.Union([Type.Integer(), Type.Null()]),
        maxMinutes: Type.Union([Type.Integer(), Type.Null()]),
      }),
      lateJobsCritical: Type.Integer(),
      lateJobNumbers: Type.Array(Type.String()),
      days: Type.Array(BucketLoad),
      weeks: Type.Array(BucketLoad),
    }),
  ),
  departments: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      loadMinutes: Type.Integer(),
      capacityMinutes: Type.Integer(),
      utilisationPct: Pct,
      days: Type.Array(BucketLoad),
      weeks: Type.Array(BucketLoad),
    }),
  ),
  lateJobs: Type.Array(
    Type.Object({
      jobId: Type.String(),
      jobNumber: Type.String(),
      dueDate: DateTime,
      plannedEnd: DateTime,
      lateMinutes: Type.Integer(),
      criticalPath: Type.Array(PathStep),
    }),
  ),
});

nameSchemas({ ConflictReport, BottleneckReport });
