import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { invalid } from '../platform/errors.js';
import { actorOf } from '../platform/http/route-access.js';
import {
  Code,
  DateTime,
  DateTimeInput,
  errorResponses,
  IdParams,
  Nullable,
  OneOf,
  OneOfColumn,
  strict,
  Uuid,
} from '../platform/http/schemas.js';
import { MAX_ROUTINGS_PER_JOB, RoutingInput } from '../jobs/schemas.js';
import { getScenario, listScenarios, startScenario } from './scenario-service.js';

const Change = Type.Union([
  strict(
    Type.Object({ type: Type.Literal('machine_down'), workCenterId: Code, from: DateTimeInput, to: DateTimeInput }),
  ),
  strict(Type.Object({ type: Type.Literal('overtime'), workCenterId: Code, from: DateTimeInput, to: DateTimeInput })),
  strict(
    Type.Object({
      type: Type.Literal('rush_job'),
      jobNumber: Type.String({ minLength: 1, maxLength: 50 }),
      quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      dueDate: DateTimeInput,
      priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
      routings: Type.Array(RoutingInput, { minItems: 1, maxItems: MAX_ROUTINGS_PER_JOB }),
    }),
  ),
]);
const tags = ['planning'];

const ScenarioStatus = OneOfColumn(['running', 'done', 'failed']);
const ScenarioSummary = Type.Object(
  { id: Uuid, name: Type.String(), status: ScenarioStatus, createdAt: DateTime, createdBy: Nullable(Type.String()) },
  { title: 'ScenarioSummary' },
);
const Scenario = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    status: ScenarioStatus,
    changes: Type.Array(Change),
    basePlanId: Nullable(Uuid),
    kpis: Nullable(Type.Record(Type.String(), Type.Unknown())),
    result: Nullable(Type.Record(Type.String(), Type.Unknown())),
    error: Nullable(Type.String()),
    createdBy: Nullable(Type.String()),
    createdAt: DateTime,
    finishedAt: Nullable(DateTime),
  },
  { title: 'Scenario' },
);

export function registerScenarioRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  app.post('/api/v1/scenarios', {
    config: { access: 'schedule:edit' },
    schema: {
      tags,
      body: strict(
        Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }),
          changes: Type.Array(Change, { minItems: 1, maxItems: 50 }),
          timeLimitSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600, default: 10 })),
        }),
      ),
      response: {
        202: Type.Object({ id: Uuid, status: OneOf(['running']), operations: Type.Integer() }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const body = req.body;
      body.changes.forEach((c, i) => {
        if (c.type !== 'rush_job' && Date.parse(c.to) <= Date.parse(c.from)) {
          throw invalid(`changes[${i}].to`, 'must be after from');
        }
      });
      const started = await startScenario(db(), ctx.config.timeZone, actorOf(req), {
        name: body.name,
        changes: body.changes,
        timeLimitSeconds: body.timeLimitSeconds ?? 10,
        frozenMinutes: ctx.config.frozenWindowMinutes,
      });
      return reply.status(202).send({ id: started.id, status: 'running', operations: started.operations });
    },
  });
  app.get('/api/v1/scenarios', {
    config: { access: 'schedule:view' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(ScenarioSummary) }), ...errorResponses } },
    handler: async () => ({ items: await listScenarios(db()) }),
  });
  app.get('/api/v1/scenarios/:id', {
    config: { access: 'schedule:view' },
    schema: { tags, params: IdParams, response: { 200: Scenario, ...errorResponses } },
    handler: async (req) => getScenario(db(), req.params.id),
  });
}
