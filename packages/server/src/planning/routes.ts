import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { requireVersion } from '../platform/crud/resource-service.js';
import { actorOf } from '../platform/http/route-access.js';
import { errorResponses, IdParams, pageOf, VersionHeaders } from '../platform/http/schemas.js';
import { Slot, SlotCancel, SlotCreate, SlotMove, SlotMoveAnswer, SlotQuery } from './slot-schemas.js';
import { moveSlotWithConsequences } from './move-service.js';
import { cancelSlot, createSlot, getSlot, listSlots } from './slot-service.js';

const tags = ['schedule'];

export function registerPlanningRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  app.get('/api/v1/schedule-slots', {
    config: { access: 'schedule:view' },
    schema: { tags, querystring: SlotQuery, response: { 200: pageOf(Slot), ...errorResponses } },
    handler: async (req) =>
      ctx.reads.get(['jobs', 'job_routings', 'schedule_slots'], JSON.stringify(req.query), () =>
        listSlots(db(), req.query),
      ),
  });
  app.get('/api/v1/schedule-slots/:id', {
    config: { access: 'schedule:view' },
    schema: { tags, params: IdParams, response: { 200: Slot, ...errorResponses } },
    handler: async (req) => getSlot(db(), req.params.id),
  });
  app.post('/api/v1/schedule-slots', {
    config: { access: 'schedule:edit' },
    schema: { tags, body: SlotCreate, response: { 201: Slot, ...errorResponses } },
    handler: async (req, reply) => {
      const slot = await createSlot(db(), ctx.events, actorOf(req), req.body);
      return reply.status(201).send(slot);
    },
  });
  app.post('/api/v1/schedule-slots/:id/move', {
    config: { access: 'schedule:edit' },
    schema: {
      tags,
      params: IdParams,
      headers: VersionHeaders,
      body: SlotMove,
      response: {
        200: SlotMoveAnswer,
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const { version, ...input } = req.body;
      const id = req.params.id;
      return moveSlotWithConsequences(
        db(),
        ctx.events,
        actorOf(req),
        id,
        requireVersion(version, req.headers['if-match']),
        input,
        ctx.config.timeZone,
      );
    },
  });
  app.post('/api/v1/schedule-slots/:id/cancel', {
    config: { access: 'schedule:edit' },
    schema: {
      tags,
      params: IdParams,
      headers: VersionHeaders,
      body: SlotCancel,
      response: { 200: Slot, ...errorResponses },
    },
    handler: async (req) => {
      const { version, reason } = req.body;
      return cancelSlot(
        db(),
        ctx.events,
        actorOf(req),
        req.params.id,
        requireVersion(version, req.headers['if-match']),
        reason,
      );
    },
  });
}
