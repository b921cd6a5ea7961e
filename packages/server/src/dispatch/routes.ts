import type { RuleName } from '@kerf/solver';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/http/route-access.js';
import { CodeIdParams, errorResponses } from '../platform/http/schemas.js';
import { clearQueueOrder, setQueueOrder, type QueueOrderInput } from './override-service.js';
import { getQueue } from './queue-service.js';
import { QueueOrderBody, QueueQuery } from './schemas.js';

const tags = ['dispatch'];

export function registerDispatchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = () => ctx.database.db;
  const idOf = (params: unknown) => (params as { id: string }).id;

  app.get('/api/v1/work-centers/:id/queue', {
    config: { access: 'schedule:view' },
    schema: { tags, params: CodeIdParams, querystring: QueueQuery, response: errorResponses },
    handler: async (req) => {
      const rule = (req.query as { rule?: RuleName }).rule;
      return getQueue(db(), idOf(req.params), { ...(rule ? { rule } : {}), now: Date.now() });
    },
  });

  app.put('/api/v1/work-centers/:id/queue-order', {
    config: { access: 'schedule:edit' },
    schema: { tags, params: CodeIdParams, body: QueueOrderBody, response: errorResponses },
    handler: async (req) => setQueueOrder(db(), actorOf(req), idOf(req.params), req.body as QueueOrderInput),
  });

  app.delete('/api/v1/work-centers/:id/queue-order', {
    config: { access: 'schedule:edit' },
    schema: { tags, params: CodeIdParams, response: errorResponses },
    handler: async (req) => clearQueueOrder(db(), actorOf(req), idOf(req.params)),
  });
}
