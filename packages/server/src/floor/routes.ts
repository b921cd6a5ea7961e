import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { actorOf } from '../platform/http/route-access.js';
import { CodeIdParams, errorResponses, IdParams } from '../platform/http/schemas.js';
import { myFloorState } from './attendance-view.js';
import { operationView } from './operation-view.js';
import { floorProblems } from './problem-list.js';
import { registerTravelerRoutes } from './traveler-routes.js';
import {
  FloorOperation,
  FloorProblem,
  FloorProblemQuery,
  FloorQueue,
  FloorReason,
  MyFloorState,
  FloorResults,
  FloorTransactionBatch,
} from './schemas.js';
import { floorQueue } from './queue-view.js';
import { listReasons } from './reasons.js';
import { applyTransactions } from './transaction-service.js';

const tags = ['floor'];

export function registerFloorRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.post('/api/v1/floor/transactions', {
    config: { access: 'production:report' },
    schema: { tags, body: FloorTransactionBatch, response: { 200: FloorResults, ...errorResponses } },
    handler: async (req) =>
      applyTransactions({ db: db(), events: ctx.events, timeZone: ctx.config.timeZone }, actorOf(req), req.body),
  });

  app.get('/api/v1/floor/operations/:id', {
    config: { access: 'schedule:view' },
    schema: { tags, params: IdParams, response: { 200: FloorOperation, ...errorResponses } },
    handler: async (req) => operationView(db(), req.params.id),
  });

  // An operator's read (schedule:view): a station's token alone does not show the queue.
  app.get('/api/v1/floor/work-centers/:id/queue', {
    config: { access: 'schedule:view' },
    schema: { tags, params: CodeIdParams, response: { 200: FloorQueue, ...errorResponses } },
    handler: async (req) => floorQueue(db(), req.params.id, ctx.config.timeZone),
  });

  app.get('/api/v1/floor/me', {
    config: { access: 'labor:clock' },
    schema: { tags, response: { 200: MyFloorState, ...errorResponses } },
    handler: async (req) => {
      const actor = actorOf(req);
      // a station's token has labor:clock for replaying the queue, but is nobody's attendance
      if (actor.type !== 'user') throw new AppError('forbidden', 'person_required', 'sign in as a person first');
      return myFloorState(db(), actor.id);
    },
  });

  // Supervisors see every tablet's refused transactions (schedule:edit: supervisors and planners).
  app.get('/api/v1/floor/problems', {
    config: { access: 'schedule:edit' },
    schema: {
      tags,
      querystring: FloorProblemQuery,
      response: { 200: Type.Object({ items: Type.Array(FloorProblem) }), ...errorResponses },
    },
    handler: async (req) => ({ items: await floorProblems(db(), req.query.sinceHours, req.query.limit) }),
  });

  app.get('/api/v1/floor/reasons', {
    config: { access: 'production:report' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(FloorReason) }), ...errorResponses } },
    handler: async () => ({ items: await listReasons(db()) }),
  });

  registerTravelerRoutes(fastify, ctx);
}
