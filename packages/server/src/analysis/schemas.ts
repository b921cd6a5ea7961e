import { Type } from 'typebox';
import { DateTime, strict } from '../platform/http/schemas.js';
import { CONFLICT_KINDS } from './conflicts/types.js';

export const ConflictQuery = strict(
  Type.Object({
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    workCenterId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    kind: Type.Optional(Type.Union(CONFLICT_KINDS.map((k) => Type.Literal(k)))),
  }),
);

const Conflict = Type.Object({
  kind: Type.String(),
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
