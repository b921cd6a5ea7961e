import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { getTableName } from 'drizzle-orm';
import { Type, type TObject } from 'typebox';
import type { AppContext } from '../context.js';
import { actorOf, type RouteAccess } from '../http/route-access.js';
import { CodeIdParams, errorResponses, IdParams as UuidIdParams, pageOf, VersionHeaders } from '../http/schemas.js';
import { requireVersion, type ResourceService } from './resource-service.js';

export interface ResourceRoutesSpec {
  /** URL segment in kebab-case plural, e.g. "work-centers" */
  path: string;
  tag: string;
  service: ResourceService;
  row: TObject;
  create: TObject;
  update: TObject;
  query: TObject;
  access: { read: RouteAccess; write: RouteAccess };
  /** what the rows are keyed by: a malformed `:id` is then a 400, not a query the database refuses */
  key: 'uuid' | 'code';
}

/** Registers list/get/create/update/delete for one resource under /api/v1/<path>. */
export function registerResourceRoutes(fastify: FastifyInstance, ctx: AppContext, spec: ResourceRoutesSpec): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const base = `/api/v1/${spec.path}`;
  const { service } = spec;
  const db = () => ctx.database.db;
  const tags = [spec.tag];
  const IdParams = spec.key === 'uuid' ? UuidIdParams : CodeIdParams;

  app.get(base, {
    config: { access: spec.access.read },
    schema: { tags, querystring: spec.query, response: { 200: pageOf(spec.row), ...errorResponses } },
    handler: async (req) =>
      ctx.reads.get([getTableName(service.spec.table)], JSON.stringify(req.query), () => service.list(db(), req.query)),
  });

  app.get(`${base}/:id`, {
    config: { access: spec.access.read },
    schema: { tags, params: IdParams, response: { 200: spec.row, ...errorResponses } },
    handler: async (req) => service.get(db(), req.params.id),
  });

  app.post(base, {
    config: { access: spec.access.write },
    schema: { tags, body: spec.create, response: { 201: spec.row, ...errorResponses } },
    handler: async (req, reply) => {
      const row = await service.create(db(), actorOf(req), req.body);
      return reply.status(201).send(row);
    },
  });

  app.patch(`${base}/:id`, {
    config: { access: spec.access.write },
    schema: {
      tags,
      params: IdParams,
      headers: VersionHeaders,
      body: spec.update,
      response: { 200: spec.row, ...errorResponses },
    },
    handler: async (req) => {
      const { version, ...changes } = req.body;
      const expected = requireVersion(version, req.headers['if-match']);
      return service.update(db(), actorOf(req), req.params.id, expected, changes);
    },
  });

  app.delete(`${base}/:id`, {
    config: { access: spec.access.write },
    schema: { tags, params: IdParams, headers: VersionHeaders, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      const ifMatch = req.headers['if-match'];
      const version = ifMatch ? requireVersion(undefined, ifMatch) : undefined;
      await service.remove(db(), actorOf(req), req.params.id, version);
      return reply.status(204).send(null);
    },
  });
}
