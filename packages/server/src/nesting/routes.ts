import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { actorOf } from '../platform/http/route-access.js';
import { ErrorResponse, errorResponses, IdParams } from '../platform/http/schemas.js';
import { loadNestingConfig, type NestingConfig } from './config.js';
import { ncFileOfNest, nestsOfJob } from './nests-service.js';
import { discardOutbox, listOutbox, removeStock, resyncStock, retryOutbox } from './outbox-admin.js';
import * as s from './schemas.js';
import { nestingStatus } from './status-service.js';
import type { NestingSync } from './sync-worker.js';

const tags = ['nesting'];

/** Sync status, dead letters, nests per job and NC file resolution (docs/nesting.md). */
export function registerNestingRoutes(
  fastify: FastifyInstance,
  ctx: AppContext,
  /** the sync worker this process runs, when it runs one */
  running: NestingSync | undefined,
  config: NestingConfig = loadNestingConfig(),
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  const outboxId = (params: unknown) => (params as { id: number }).id;

  app.get('/api/v1/nesting/status', {
    config: { access: 'machine:view' },
    schema: { tags, response: { 200: s.NestingStatus, ...errorResponses } },
    handler: async () => nestingStatus(db(), config),
  });

  app.get('/api/v1/nesting/outbox', {
    config: { access: 'machine:view' },
    schema: { tags, querystring: s.OutboxQuery, response: { 200: s.OutboxPage, ...errorResponses } },
    handler: async (req) => listOutbox(db(), req.query),
  });

  app.post('/api/v1/nesting/outbox/:id/retry', {
    config: { access: 'machine:config' },
    schema: { tags, params: s.OutboxIdParams, response: { 200: s.OutboxEntry, ...errorResponses } },
    handler: async (req) => retryOutbox(db(), actorOf(req), outboxId(req.params)),
  });

  app.post('/api/v1/nesting/outbox/:id/discard', {
    config: { access: 'machine:config' },
    schema: { tags, params: s.OutboxIdParams, response: { 200: s.OutboxEntry, ...errorResponses } },
    handler: async (req) => discardOutbox(db(), actorOf(req), outboxId(req.params)),
  });

  app.post('/api/v1/nesting/stock/resync', {
    config: { access: 'machine:config' },
    schema: { tags, response: { 200: s.StockResync, ...errorResponses } },
    handler: async (req) => resyncStock(db(), actorOf(req)),
  });

  app.post('/api/v1/nesting/stock/:id/remove', {
    config: { access: 'machine:config' },
    schema: { tags, params: s.NestIdParams, response: { 200: s.StockResync, ...errorResponses } },
    handler: async (req) => removeStock(db(), actorOf(req), req.params.id),
  });

  app.post('/api/v1/nesting/sync', {
    config: { access: 'machine:config' },
    schema: { tags, response: { 200: s.SyncResult, ...errorResponses, 503: ErrorResponse } },
    handler: async () => {
      const sync = running;
      if (!sync)
        throw new AppError(
          'unavailable',
          'nesting_off',
          `the nesting sync is not running here (KERF_NESTING_MODE=${config.mode})`,
        );
      return sync.runOnce();
    },
  });

  app.get('/api/v1/jobs/:id/nests', {
    config: { access: 'job:view' },
    schema: { tags, params: IdParams, response: { 200: s.JobNests, ...errorResponses } },
    handler: async (req) => nestsOfJob(db(), req.params.id),
  });

  app.get('/api/v1/nesting/nests/:id/nc-file', {
    config: { access: 'machine:view' },
    schema: { tags, params: s.NestIdParams, response: { 200: s.NcFile, ...errorResponses } },
    handler: async (req) => ncFileOfNest(db(), req.params.id, config.ncRoots),
  });
}
