import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/http/route-access.js';
import { CodeIdParams, errorResponses } from '../platform/http/schemas.js';
import { clearQueueOrder, setQueueOrder } from './override-service.js';
import { getQueue } from './queue-service.js';
import { Queue, QueueOrder, QueueOrderBody, QueueOrderCleared, QueueQuery } from './schemas.js';

const tags = ['dispatch'];

export function registerDispatchRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.get('/api/v1/work-centers/:id/queue', {
    config: { access: 'schedule:view' },
    schema: { tags, params: CodeIdParams, querystring: QueueQuery, response: { 200: Queue, ...errorResponses } },
    handler: async (req) => {
      const rule = req.query.rule;
      return getQueue(db(), req.params.id, { ...(rule ? { rule } : {}), now: Date.now() }, ctx.config.timeZone);
    },
  });

  app.put('/api/v1/work-centers/:id/queue-order', {
    config: { access: 'schedule:edit' },
    schema: { tags, params: CodeIdParams, body: QueueOrderBody, response: { 200: QueueOrder, ...errorResponses } },
    handler: async (req) => setQueueOrder(db(), ctx.events, actorOf(req), req.params.id, req.body),
  });

  app.delete('/api/v1/work-centers/:id/queue-order', {
    config: { access: 'schedule:edit' },
    schema: { tags, params: CodeIdParams, response: { 200: QueueOrderCleared, ...errorResponses } },
    handler: async (req) => clearQueueOrder(db(), actorOf(req), req.params.id),
  });
}
