import type { FastifyInstance } from 'fastify';
import { readCache } from '../platform/read-cache.js';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import type { ListParams } from '../platform/crud/list-query.js';
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

export function registerJobRoutes(app: FastifyInstance, ctx: AppContext): void {
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
    handler: async (req) =>
      readCache(ctx.database).get(['jobs'], JSON.stringify(req.query), () => listJobs(db(), req.query as ListParams)),
  });
  app.get('/api/v1/jobs/:id', {
    config: { access: 'job:view' },
    schema: { tags, params: IdParams, response: { 200: s.Job, ...errorResponses } },
    handler: async (req) => getJob(db(), (req.params as { id: string }).id),
  });
  app.post('/api/v1/jobs', {
    config: { access: 'job:create' },
    schema: { tags, body: s.JobCreate, response: { 201: s.Job, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await createJob(db(), actorOf(req), req.body as s.JobInputT)),
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
      const { version, ...changes } = req.body as Partial<s.JobInputT> & { version?: number };
      return updateJob(
        db(),
        actorOf(req),
        (req.params as { id: string }).id,
        requireVersion(version, req.headers['if-match']),
        changes,
      );
    },
  });
  app.delete('/api/v1/jobs/:id', {
    config: { access: 'job:create' },
    schema: { tags, params: IdParams, headers: VersionHeaders, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      const ifMatch = req.headers['if-match'];
      await deleteJob(
        db(),
        actorOf(req),
        (req.params as { id: string }).id,
        ifMatch ? requireVersion(undefined, ifMatch) : undefined,
      );
      return reply.status(204).send();
    },
  });
  registerImportRoutes(app, ctx);
}
