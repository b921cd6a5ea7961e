import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { invalid } from '../platform/errors.js';
import { actorOf } from '../platform/http/route-access.js';
import { Code, DateTime, errorResponses, IdParams, strict } from '../platform/http/schemas.js';
import { MAX_ROUTINGS_PER_JOB, RoutingInput } from '../jobs/schemas.js';
import type { ScenarioChange } from './scenario-changes.js';
import { getScenario, listScenarios, startScenario } from './scenario-service.js';

const Change = Type.Union([
  strict(Type.Object({ type: Type.Literal('machine_down'), workCenterId: Code, from: DateTime, to: DateTime })),
  strict(Type.Object({ type: Type.Literal('overtime'), workCenterId: Code, from: DateTime, to: DateTime })),
  strict(
    Type.Object({
      type: Type.Literal('rush_job'),
      jobNumber: Type.String({ minLength: 1, maxLength: 50 }),
      quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      dueDate: DateTime,
      priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
      routings: Type.Array(RoutingInput, { minItems: 1, maxItems: MAX_ROUTINGS_PER_JOB }),
    }),
  ),
]);
const tags = ['planning'];

export function registerScenarioRoutes(app: FastifyInstance, ctx: AppContext): void {
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
        202: Type.Object({ id: Type.String(), status: Type.String(), operations: Type.Integer() }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const body = req.body as { name: string; changes: ScenarioChange[]; timeLimitSeconds?: number };
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
    schema: { tags },
    handler: async () => ({ items: await listScenarios(db()) }),
  });
  app.get('/api/v1/scenarios/:id', {
    config: { access: 'schedule:view' },
    schema: { tags, params: IdParams, response: errorResponses },
    handler: async (req) => getScenario(db(), (req.params as { id: string }).id),
  });
}
