import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { errorResponses } from '../platform/http/schemas.js';
import { promiseDate } from './promise-service.js';
import { PromiseAnswer, PromiseBody } from './schemas.js';

export function registerPromiseRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/promise', {
    config: { access: 'job:view' },
    schema: { tags: ['planning'], body: PromiseBody, response: { 200: PromiseAnswer, ...errorResponses } },
    handler: async (req) =>
      promiseDate({ db: ctx.database.db, timeZone: ctx.config.timeZone, now: Date.now() }, req.body),
  });
}
