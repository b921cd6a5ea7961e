import { Type, type Static } from 'typebox';
import { DateTime, nameSchemas, Nullable, OneOf, strict, Uuid } from '../platform/http/schemas.js';
import { MAX_TRAVELERS } from './traveler-data.js';

export const TravelerBatch = strict(
  Type.Object({
    jobIds: Type.Array(Uuid, {
      minItems: 1,
      maxItems: MAX_TRAVELERS,
      description: `jobs to print, in this order, each starting on a new page (at most ${MAX_TRAVELERS})`,
    }),
  }),
);
export type TravelerBatchT = Static<typeof TravelerBatch>;

/** A PDF body, for the contract (Fastify sends the buffer as it is). */
export const PdfResponse = {
  description: 'the travelers as one PDF',
  content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
};

export const ScanQuery = strict(
  Type.Object({
    code: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'the text a scanner or a person typed (control characters and case are ignored)',
    }),
  }),
);

export const ScanChange = Type.Object({
  field: Type.String({ description: 'the routing step field, or `operationId` when the step was replaced' }),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  at: DateTime,
});
export type ScanChangeT = Static<typeof ScanChange>;

export const ScanAnswer = Type.Object({
  code: Type.String({ description: 'the code as read (normalized)' }),
  type: OneOf(['operation', 'job', 'work_center', 'employee', 'lot']),
  label: Type.String({ description: 'what to show the operator' }),
  operationId: Type.Optional(Uuid),
  jobId: Type.Optional(Uuid),
  jobNumber: Type.Optional(Type.String()),
  workCenterId: Type.Optional(Type.String()),
  employeeId: Type.Optional(Uuid),
  lot: Type.Optional(Type.String()),
  printedRevision: Type.Optional(Type.Integer({ description: 'the step revision on the printed code' })),
  currentRevision: Type.Optional(Type.Integer({ description: 'the step revision now' })),
  changed: Type.Boolean({ description: 'true: the routing step changed since the code was printed' }),
  changes: Type.Array(ScanChange, { description: 'what changed since the printed revision, oldest first' }),
});
export type ScanAnswerT = Static<typeof ScanAnswer>;

nameSchemas({ TravelerBatch, ScanChange, ScanAnswer });
