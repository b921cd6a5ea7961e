import { Type } from 'typebox';
import { DateTime, limitOf, Nullable, Offset, pageOf, strict, OneOf, nameSchemas } from '../platform/http/schemas.js';
import { OUTBOX_STATUSES } from './outbox-admin.js';

/** Request and response shapes of the nesting API (docs/nesting.md). */

export const OutboxIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const NestIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const OutboxQuery = strict(
  Type.Object({
    status: Type.Optional(OneOf(OUTBOX_STATUSES)),
    limit: Type.Optional(limitOf(500, 50)),
    offset: Type.Optional(Offset),
  }),
);

export const OutboxEntry = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  transId: Type.String(),
  status: OneOf(OUTBOX_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: DateTime,
  lastError: Nullable(Type.String()),
  jobId: Nullable(Type.String()),
  jobNumber: Nullable(Type.String()),
  createdAt: DateTime,
  sentAt: Nullable(DateTime),
  errors: Type.Array(
    Type.Object({ transId: Type.String(), transType: Type.String(), reason: Type.String(), at: DateTime }),
  ),
});
export const OutboxPage = pageOf(OutboxEntry);

export const NestingStatus = Type.Object({
  mode: Type.Union([Type.Literal('off'), Type.Literal('simtrans'), Type.Literal('files'), Type.Literal('emulator')]),
  district: Type.Integer(),
  outbound: Type.Object({
    lastSyncAt: Nullable(DateTime),
    lastError: Nullable(Type.String()),
    pending: Type.Integer(),
    sent: Type.Integer(),
    failed: Type.Integer(),
    dead: Type.Integer(),
    discarded: Type.Integer(),
  }),
  inbound: Type.Object({
    lastSyncAt: Nullable(DateTime),
    lastError: Nullable(Type.String()),
    packetsApplied: Type.Integer(),
    packetsRejected: Type.Integer(),
    lastPacketId: Nullable(Type.String()),
  }),
  connection: Type.Object({
    up: Type.Boolean(),
    lastError: Nullable(Type.String()),
    nextAttemptAt: Nullable(DateTime),
  }),
  recentRejections: Type.Array(
    Type.Object({ id: Type.Integer(), source: Type.String(), reason: Type.String(), at: DateTime }),
  ),
});

export const SyncResult = Type.Object({
  sent: Type.Integer(),
  failed: Type.Integer(),
  dead: Type.Integer(),
  packetsApplied: Type.Integer(),
  packetsRejected: Type.Integer(),
  error: Nullable(Type.String()),
});

export const JobNests = Type.Object({
  jobId: Type.String(),
  nests: Type.Array(
    Type.Object({
      id: Type.String(),
      programName: Type.String(),
      repeatId: Type.Integer(),
      status: Type.Union([Type.Literal('posted'), Type.Literal('deleted')]),
      sheetName: Nullable(Type.String()),
      material: Nullable(Type.String()),
      thickness: Nullable(Type.Number()),
      sheetWidth: Nullable(Type.Number()),
      sheetLength: Nullable(Type.Number()),
      sheetQty: Type.Integer(),
      utilization: Nullable(Type.Number()),
      scrapFraction: Nullable(Type.Number()),
      cutTimeSeconds: Nullable(Type.Number()),
      pierceCount: Nullable(Type.Number()),
      cutLength: Nullable(Type.Number()),
      ncFile: Nullable(Type.String()),
      machine: Nullable(Type.String()),
      postedAt: DateTime,
      jobParts: Type.Array(
        Type.Object({ partNumber: Type.String(), quantity: Type.Integer(), cutTimeSeconds: Nullable(Type.Number()) }),
      ),
      otherJobs: Type.Array(Type.String()),
    }),
  ),
});

export const NcFile = Type.Object({
  ncFile: Nullable(Type.String()),
  exists: Type.Boolean(),
  path: Nullable(Type.String()),
  roots: Type.Array(Type.String()),
  reason: Nullable(Type.String()),
});

export const StockResync = Type.Object({ queued: Type.Integer() });

nameSchemas({ OutboxEntry, NestingStatus, JobNests });
