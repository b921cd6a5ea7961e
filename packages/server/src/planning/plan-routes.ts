import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { requireVersion } from '../platform/crud/resource-service.js';
import { notFound } from '../platform/errors.js';
import { actorOf } from '../platform/http/route-access.js';
import { errorResponses, IdParams, OneOf, strict, VersionHeaders } from '../platform/http/schemas.js';
import { diffAgainstPublished } from './plan-diff.js';
import type { PlanRunService } from './plan-run-service.js';
import { getPlan, listPlans } from './plan-queries.js';
import { discardPlan, publishPlan } from './publish-service.js';
import * as s from './plan-schemas.js';

const tags = ['planning'];
const PlanRunBody = strict(
  Type.Object({
    objective: Type.Optional(s.Objective),
    timeLimitSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, default: 30, description: 'at most KERF_PLAN_RUN_MAX_SECONDS' }),
    ),
    horizon: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, default: 28, description: 'planning horizon in days' }),
    ),
    frozenWindowMinutes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10080, description: 'default: the configured frozen window' }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
);
const VersionBody = strict(Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }));

export function registerPlanRoutes(fastify: FastifyInstance, ctx: AppContext, planRuns: PlanRunService): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.post('/api/v1/plan-runs', {
    config: { access: 'schedule:edit' },
    schema: {
      tags,
      body: PlanRunBody,
      response: { 202: s.PlanRunStarted, ...errorResponses },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const run = await planRuns.start(actorOf(req), {
        objective: b.objective ?? 'weighted_tardiness',
        timeLimitSeconds: b.timeLimitSeconds ?? Math.min(30, ctx.config.planRunMaxSeconds),
        horizonDays: b.horizon ?? 28,
        frozenMinutes: b.frozenWindowMinutes ?? ctx.config.frozenWindowMinutes,
        ...(b.seed !== undefined ? { seed: b.seed } : {}),
      });
      return reply.status(202).send(run);
    },
  });

  app.get('/api/v1/plan-runs', {
    config: { access: 'schedule:view' },
    schema: {
      tags,
      querystring: strict(
        Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })) }),
      ),
      response: { 200: Type.Object({ items: Type.Array(s.PlanRunSummary) }), ...errorResponses },
    },
    handler: async (req) => ({ items: await planRuns.list(req.query.limit ?? 20) }),
  });

  app.get('/api/v1/plan-runs/:id', {
    config: { access: 'schedule:view' },
    schema: { tags, params: IdParams, response: { 200: s.PlanRun, ...errorResponses } },
    handler: async (req) => planRuns.get(req.params.id),
  });

  app.post('/api/v1/plan-runs/:id/cancel', {
    config: { access: 'schedule:edit' },
    schema: {
      tags,
      params: IdParams,
      response: { 202: s.PlanRunCancelled, ...errorResponses },
    },
    handler: async (req, reply) => {
      const id = req.params.id;
      return reply.status(202).send({ id, status: await planRuns.cancel(id) });
    },
  });

  app.get('/api/v1/plans', {
    config: { access: 'schedule:view' },
    schema: {
      tags,
      querystring: strict(
        Type.Object({
          status: Type.Optional(OneOf(s.PLAN_STATUSES)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
        }),
      ),
      response: { 200: Type.Object({ items: Type.Array(s.PlanSummary) }), ...errorResponses },
    },
    handler: async (req) => {
      return { items: await listPlans(db(), req.query) };
    },
  });

  app.get('/api/v1/plans/:id', {
    config: { access: 'schedule:view' },
    schema: { tags, params: IdParams, response: { 200: s.Plan, ...errorResponses } },
    handler: async (req) => {
      return getPlan(db(), req.params.id);
    },
  });

  app.get('/api/v1/plans/:id/diff', {
    config: { access: 'schedule:view' },
    schema: { tags, params: IdParams, response: { 200: s.PlanDiff, ...errorResponses } },
    handler: async (req) => {
      const id = req.params.id;
      const diff = await diffAgainstPublished(db(), id);
      if (!diff) throw notFound('plan', id);
      return diff;
    },
  });

  app.post('/api/v1/plans/:id/publish', {
    config: { access: 'schedule:approve' },
    schema: {
      tags,
      params: IdParams,
      headers: VersionHeaders,
      body: VersionBody,
      response: { 200: s.PlanPublished, ...errorResponses },
    },
    handler: async (req) => {
      const version = requireVersion(req.body?.version, req.headers['if-match']);
      return publishPlan(db(), ctx.events, actorOf(req), req.params.id, version);
    },
  });

  app.post('/api/v1/plans/:id/discard', {
    config: { access: 'schedule:approve' },
    schema: {
      tags,
      params: IdParams,
      headers: VersionHeaders,
      body: VersionBody,
      response: { 200: s.PlanSummary, ...errorResponses },
    },
    handler: async (req) => {
      const version = requireVersion(req.body?.version, req.headers['if-match']);
      return discardPlan(db(), actorOf(req), req.params.id, version);
    },
  });
}
