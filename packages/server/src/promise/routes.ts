import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { errorResponses } from '../platform/http/schemas.js';
import { promiseDate } from './promise-service.js';
import { PromiseBody, type PromiseInput } from './schemas.js';

export function registerPromiseRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/promise', {
    config: { access: 'job:view' },
    schema: { tags: ['planning'], body: PromiseBody, response: errorResponses },
    handler: async (req) =>
      promiseDate({ db: ctx.database.db, timeZone: ctx.config.timeZone, now: Date.now() }, req.body as PromiseInput),
  });
}
