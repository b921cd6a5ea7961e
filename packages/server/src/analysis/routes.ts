import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { errorResponses } from '../platform/http/schemas.js';
import { analyseBottlenecks, parseWindow } from './bottlenecks/bottleneck-service.js';
import { findConflicts } from './conflicts/conflict-service.js';
import { BottleneckQuery, BottleneckReport, ConflictQuery, ConflictReport } from './schemas.js';

const tags = ['analysis'];

export function registerAnalysisRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.get('/api/v1/conflicts', {
    config: { access: 'schedule:view' },
    schema: {
      tags,
      summary:
        'Conflicts of the current schedule, each with the slots and jobs involved and a plain-language explanation',
      querystring: ConflictQuery,
      response: { 200: ConflictReport, ...errorResponses },
    },
    handler: async (req) => findConflicts(db(), ctx.config.timeZone, req.query),
  });

  app.get('/api/v1/bottlenecks', {
    config: { access: 'report:view' },
    schema: {
      tags,
      summary:
        'Load against capacity per work center and department per day and week, queue times, critical paths of late jobs, ranked bottleneck suggestions',
      querystring: BottleneckQuery,
      response: { 200: BottleneckReport, ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      return analyseBottlenecks(db(), ctx.config.timeZone, parseWindow(q.from, q.to));
    },
  });
}
