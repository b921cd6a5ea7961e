import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { requireVersion } from '../platform/crud/resource-service.js';
import { actorOf } from '../platform/http/route-access.js';
import {
  DateTime,
  DateTimeInput,
  ErrorResponse,
  errorResponses,
  IdParams,
  Nullable,
  OneOf,
  nameSchemas,
  OneOfColumn,
  strict,
  Uuid,
} from '../platform/http/schemas.js';
import { PERMISSIONS, ROLES } from './permissions.js';
import { listAudit } from './audit.js';
import type { CredentialChanges } from './credential-changes.js';
import * as auth from './service.js';
import { sha256 } from './tokens.js';

const RoleSchema = OneOf(ROLES);
const PermissionSchema = OneOf(PERMISSIONS);
const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Nullable(Type.String()),
  role: OneOfColumn(ROLES),
  isActive: Type.Boolean(),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  keyPrefix: Type.String(),
  scopes: Type.Array(OneOfColumn(PERMISSIONS)),
  expiresAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
  key: Type.Optional(Type.String({ description: 'shown once, at creation' })),
});
nameSchemas({ User, ApiKey });
const tags = ['auth'];
// What every gated route may answer besides its result: the access gate's 401 and 403.
const gateErrors = { 401: ErrorResponse, 403: ErrorResponse };

export function registerAuthRoutes(fastify: FastifyInstance, ctx: AppContext, credentials: CredentialChanges): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.post('/api/v1/auth/login', {
    config: { access: 'public', rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags,
      body: strict(
        Type.Object({
          username: Type.String({ minLength: 1, maxLength: 100 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
        }),
      ),
      response: {
        200: Type.Object({
          token: Type.String(),
          expiresAt: DateTime,
          user: Type.Object({ id: Uuid, username: Type.String(), role: OneOfColumn(ROLES) }),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const { username, password } = req.body;
      return auth.login(db(), username, password, ctx.config.sessionHours);
    },
  });

  app.post('/api/v1/auth/logout', {
    config: { access: 'schedule:view' },
    schema: { tags, response: { 204: Type.Null(), ...gateErrors } },
    handler: async (req, reply) => {
      const token = req.headers.authorization?.slice(7).trim() ?? '';
      await auth.logout(db(), credentials, sha256(token));
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'schedule:view' },
    schema: {
      tags,
      response: {
        200: Type.Object(
          {
            id: Type.String(),
            name: Type.String(),
            type: OneOf(['user', 'api_key', 'station', 'system']),
            role: Type.Optional(OneOfColumn(ROLES)),
            permissions: Type.Array(OneOfColumn(PERMISSIONS)),
            stationId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { title: 'Me' },
        ),
        ...gateErrors,
      },
    },
    handler: async (req) => {
      const actor = actorOf(req);
      return {
        id: actor.id,
        name: actor.name,
        type: actor.type,
        role: actor.role,
        permissions: [...actor.permissions],
        ...(actor.stationId ? { stationId: actor.stationId } : {}),
      };
    },
  });

  app.get('/api/v1/users', {
    config: { access: 'user:admin' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(User) }), ...errorResponses } },
    handler: async () => ({ items: await auth.listUsers(db()) }),
  });

  app.post('/api/v1/users', {
    config: { access: 'user:admin' },
    schema: {
      tags,
      body: strict(
        Type.Object({
          username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
          role: RoleSchema,
          displayName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
        }),
      ),
      response: { 201: User, ...errorResponses },
    },
    handler: async (req, reply) => {
      const row = await auth.createUser(db(), actorOf(req), req.body);
      return reply.status(201).send(row);
    },
  });

  app.patch('/api/v1/users/:id', {
    config: { access: 'user:admin' },
    schema: {
      tags,
      params: IdParams,
      body: strict(
        Type.Object({
          role: Type.Optional(RoleSchema),
          isActive: Type.Optional(Type.Boolean()),
          displayName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
          password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          version: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
      ),
      response: { 200: User, ...errorResponses },
    },
    handler: async (req) => {
      const { version, ...changes } = req.body;
      return auth.updateUser(
        db(),
        credentials,
        actorOf(req),
        req.params.id,
        requireVersion(version, req.headers['if-match']),
        changes,
      );
    },
  });

  app.get('/api/v1/api-keys', {
    config: { access: 'user:admin' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(ApiKey) }), ...errorResponses } },
    handler: async () => ({ items: await auth.listApiKeys(db()) }),
  });

  app.post('/api/v1/api-keys', {
    config: { access: 'user:admin' },
    schema: {
      tags,
      body: strict(
        Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          scopes: Type.Array(PermissionSchema, { minItems: 1 }),
          expiresAt: Type.Optional(Nullable(DateTimeInput)),
        }),
      ),
      response: { 201: ApiKey, ...errorResponses },
    },
    handler: async (req, reply) => {
      const body = req.body;
      return reply.status(201).send(await auth.createApiKey(db(), actorOf(req), body));
    },
  });

  app.delete('/api/v1/api-keys/:id', {
    config: { access: 'user:admin' },
    schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await auth.revokeApiKey(db(), credentials, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/audit-log', {
    config: { access: 'user:admin' },
    schema: {
      tags,
      querystring: strict(
        Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
      ),
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Object({
              id: Type.Integer(),
              at: DateTime,
              actorType: Type.String(),
              actorId: Nullable(Type.String()),
              actorName: Nullable(Type.String()),
              action: Type.String(),
              entity: Type.String(),
              entityId: Type.String(),
              before: Type.Unknown(),
              after: Type.Unknown(),
            }),
          ),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const limit = req.query.limit ?? 100;
      return { items: await listAudit(db(), limit) };
    },
  });
}
