import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { DateTime, errorResponses, Nullable, strict } from '../platform/http/schemas.js';
import { listRejections } from './ingest/rejection-log.js';
import type { MachinesRuntime } from './runtime.js';

const tags = ['machines'];

const RejectionsQuery = strict(
  Type.Object({
    device: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
);

const Counter = Type.Integer({ minimum: 0 });
const IngestRejections = Type.Object({
  // This instance's counters since it started (the device records below are all instances').
  ingest: Type.Object({
    received: Counter,
    stored: Counter,
    duplicates: Counter,
    rejected: Counter,
    rejectedBy: Type.Record(Type.String(), Counter),
    dropped: Counter,
    pending: Counter,
    sequenceRestarts: Counter,
    splits: Counter,
    writeErrors: Counter,
  }),
  devices: Type.Array(
    Type.Object({
      device: Type.String(),
      total: Counter,
      counts: Type.Record(Type.String(), Counter),
      lastAt: DateTime,
      recent: Type.Array(
        Type.Object({
          at: DateTime,
          reason: Type.String(),
          message: Type.String(),
          topic: Nullable(Type.String()),
          machine: Nullable(Type.String()),
        }),
      ),
    }),
  ),
});

/** `GET /api/v1/machine-ingest/rejections`: refused machine data per device (docs/machines.md). */
export function registerIngestRejectionRoutes(
  fastify: FastifyInstance,
  ctx: AppContext,
  runtime: MachinesRuntime,
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/machine-ingest/rejections', {
    config: { access: 'machine:view' },
    schema: { tags, querystring: RejectionsQuery, response: { 200: IngestRejections, ...errorResponses } },
    handler: async (req) => {
      const q = req.query;
      // What this instance buffered in the last second belongs in the answer.
      await runtime.rejections.flush();
      const c = runtime.ingest.counters;
      return {
        ingest: {
          received: c.received,
          stored: c.stored,
          duplicates: c.duplicates,
          rejected: c.rejected,
          rejectedBy: { ...c.rejectedBy },
          dropped: c.dropped,
          pending: c.pending,
          sequenceRestarts: c.sequenceRestarts,
          splits: c.splits,
          writeErrors: c.writeErrors,
        },
        devices: await listRejections(ctx.database.db, {
          ...(q.device ? { device: q.device } : {}),
          limit: q.limit ?? 100,
        }),
      };
    },
  });
}
