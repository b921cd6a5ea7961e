import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { registerResourceRoutes } from '../platform/crud/resource-routes.js';
import { requireVersion } from '../platform/crud/resource-service.js';
import { actorOf } from '../platform/http/route-access.js';
import { errorResponses, IdParams, pageOf, VersionHeaders } from '../platform/http/schemas.js';
import { registerImportRoutes } from './import-routes.js';
import { registerRoutingStepRoutes } from './routing-steps-routes.js';
import { createJob, deleteJob, getJob, listJobs, updateJob } from './job-service.js';
import * as s from './schemas.js';
import { customerService, materialService } from './services.js';

const tags = ['jobs'];

export function registerJobRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  registerRoutingStepRoutes(app, ctx);
  registerResourceRoutes(app, ctx, {
    path: 'customers',
    key: 'uuid',
    tag: 'jobs',
    service: customerService,
    row: s.Customer,
    create: s.CustomerCreate,
    update: s.CustomerUpdate,
    query: s.CustomerQuery,
    access: { read: 'job:view', write: 'job:create' },
  });
  registerResourceRoutes(app, ctx, {
    path: 'materials',
    key: 'uuid',
    tag: 'jobs',
    service: materialService,
    row: s.Material,
    create: s.MaterialCreate,
    update: s.MaterialUpdate,
    query: s.MaterialQuery,
    access: { read: 'job:view', write: 'job:create' },
  });

  app.get('/api/v1/jobs', {
    config: { access: 'job:view' },
    schema: { tags, querystring: s.JobQuery, response: { 200: pageOf(s.JobSummary), ...errorResponses } },
    handler: async (req) => ctx.reads.get(['jobs'], JSON.stringify(req.query), () => listJobs(db(), req.query)),
  });
  app.get('/api/v1/jobs/:id', {
    config: { access: 'job:view' },
    schema: { tags, params: IdParams, response: { 200: s.Job, ...errorResponses } },
    handler: async (req) => getJob(db(), req.params.id),
  });
  app.post('/api/v1/jobs', {
    config: { access: 'job:create' },
    schema: { tags, body: s.JobCreate, response: { 201: s.Job, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await createJob(db(), actorOf(req), req.body)),
  });
  app.patch('/api/v1/jobs/:id', {
    config: { access: 'job:create' },
    schema: {
      tags,
      params: IdParams,
      headers: VersionHeaders,
      body: s.JobUpdate,
      response: { 200: s.Job, ...errorResponses },
    },
    handler: async (req) => {
      const { version, ...changes } = req.body;
      return updateJob(db(), actorOf(req), req.params.id, requireVersion(version, req.headers['if-match']), changes);
    },
  });
  app.delete('/api/v1/jobs/:id', {
    config: { access: 'job:create' },
    schema: { tags, params: IdParams, headers: VersionHeaders, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      const ifMatch = req.headers['if-match'];
      await deleteJob(db(), actorOf(req), req.params.id, ifMatch ? requireVersion(undefined, ifMatch) : undefined);
      return reply.status(204).send(null);
    },
  });
  registerImportRoutes(app, ctx);
}
