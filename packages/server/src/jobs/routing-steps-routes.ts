import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { errorResponses, pageOf } from '../platform/http/schemas.js';
import { listRoutingSteps, RoutingStep, RoutingStepQuery } from './routing-steps.js';

export function registerRoutingStepRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/routing-steps', {
    config: { access: 'job:view' },
    schema: {
      tags: ['jobs'],
      summary: 'Routing steps across jobs (read-only), for Gantt details and precedence',
      querystring: RoutingStepQuery,
      response: { 200: pageOf(RoutingStep), ...errorResponses },
    },
    handler: async (req) =>
      ctx.reads.get(['jobs', 'job_routings'], JSON.stringify(req.query), () =>
        listRoutingSteps(ctx.database.db, req.query),
      ),
  });
}
