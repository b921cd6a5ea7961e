import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../platform/http/route-access.js';
import { errorResponses, pageOf, VersionHeaders } from '../platform/http/schemas.js';
import type { AppContext } from '../platform/context.js';
import { requireVersion } from '../platform/crud/resource-service.js';
import { autoBucket, bucketPoints, rawPoints, stateIntervals, windowOf } from './history/history-queries.js';
import { redactMachine } from './connection-secrets.js';
import { createMachine, findMachine, listMachines, updateMachine, withStatus } from './machine-service.js';
import type { MachinesRuntime } from './runtime.js';
import * as s from './schemas.js';

const tags = ['machines'];
const HOUR = 3_600_000;

/** `/api/v1/machines`: registry, live status and history (docs/machines.md). */
export function registerMachineRoutes(fastify: FastifyInstance, ctx: AppContext, runtime: MachinesRuntime): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  const machine = (req: { params: { id: string } }) => findMachine(db(), req.params.id);

  app.get('/api/v1/machines', {
    config: { access: 'machine:view' },
    schema: { tags, querystring: s.MachineQuery, response: { 200: pageOf(s.MachineWithStatus), ...errorResponses } },
    handler: async (req) => listMachines(db(), runtime.cache, req.query),
  });

  app.get('/api/v1/machines/:id', {
    config: { access: 'machine:view' },
    schema: { tags, params: s.MachineIdParams, response: { 200: s.MachineWithStatus, ...errorResponses } },
    handler: async (req) => (await withStatus(runtime.cache, [await machine(req)]))[0],
  });

  app.get('/api/v1/machines/:id/status', {
    config: { access: 'machine:view' },
    schema: { tags, params: s.MachineIdParams, response: { 200: s.MachineStatusSchema, ...errorResponses } },
    handler: async (req) => (await withStatus(runtime.cache, [await machine(req)]))[0]!.status,
  });

  app.get('/api/v1/machines/:id/metrics', {
    config: { access: 'machine:view' },
    schema: {
      tags,
      params: s.MachineIdParams,
      querystring: s.MetricsQuery,
      response: { 200: s.MetricSeries, ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      const m = await machine(req);
      const w = windowOf(q.from, q.to, HOUR);
      const bucket = q.bucket ?? autoBucket(w);
      const head = {
        machineId: m.id,
        code: m.code,
        metric: q.metric,
        from: w.from.toISOString(),
        to: w.to.toISOString(),
      };
      if (bucket === 'raw') {
        const { points, truncated } = await rawPoints(db(), m.id, q.metric, w);
        return { ...head, bucket, truncated, points };
      }
      return { ...head, bucket, points: await bucketPoints(db(), m.id, q.metric, w, bucket) };
    },
  });

  app.get('/api/v1/machines/:id/states', {
    config: { access: 'machine:view' },
    schema: {
      tags,
      params: s.MachineIdParams,
      querystring: s.StatesQuery,
      response: { 200: s.StateHistory, ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      const m = await machine(req);
      const w = windowOf(q.from, q.to, 24 * HOUR);
      const { intervals, totals } = await stateIntervals(db(), m.id, w);
      return { machineId: m.id, code: m.code, from: w.from.toISOString(), to: w.to.toISOString(), intervals, totals };
    },
  });

  app.post('/api/v1/machines', {
    config: { access: 'machine:config' },
    schema: { tags, body: s.MachineCreate, response: { 201: s.Machine, ...errorResponses } },
    handler: async (req, reply) => {
      const row = await createMachine(db(), actorOf(req), req.body);
      runtime.registry.invalidate();
      return reply.status(201).send(redactMachine(row));
    },
  });

  app.patch('/api/v1/machines/:id', {
    config: { access: 'machine:config' },
    schema: {
      tags,
      params: s.MachineIdParams,
      headers: VersionHeaders,
      body: s.MachineUpdate,
      response: { 200: s.Machine, ...errorResponses },
    },
    handler: async (req) => {
      const { version, ...changes } = req.body;
      const expected = requireVersion(version, req.headers['if-match']);
      const row = await updateMachine(db(), actorOf(req), await machine(req), expected, changes);
      runtime.registry.invalidate();
      return redactMachine(row);
    },
  });
}
