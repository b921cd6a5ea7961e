import type { FastifyInstance } from 'fastify';
import { desc } from 'drizzle-orm';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { requireVersion } from '../platform/crud/resource-service.js';
import { actorOf } from '../platform/http/route-access.js';
import { DateTime, errorResponses, IdParams, Nullable, strict, Uuid } from '../platform/http/schemas.js';
import { PERMISSIONS, ROLES, type Permission, type Role } from './permissions.js';
import * as auth from './service.js';
import { auditLog } from './tables.js';
import { sha256 } from './tokens.js';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const PermissionSchema = Type.Union(PERMISSIONS.map((p) => Type.Literal(p)));
const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Nullable(Type.String()),
  role: Type.String(),
  isActive: Type.Boolean(),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  keyPrefix: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
  key: Type.Optional(Type.String({ description: 'shown once, at creation' })),
});
const tags = ['auth'];

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
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
          user: Type.Object({ id: Uuid, username: Type.String(), role: Type.String() }),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const { username, password } = req.body as { username: string; password: string };
      return auth.login(db(), username, password, ctx.config.sessionHours);
    },
  });

  app.post('/api/v1/auth/logout', {
    config: { access: 'schedule:view' },
    schema: { tags, response: { 204: Type.Null() } },
    handler: async (req, reply) => {
      const token = req.headers.authorization?.slice(7).trim() ?? '';
      await auth.logout(db(), sha256(token));
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'schedule:view' },
    schema: {
      tags,
      response: {
        200: Type.Object({
          id: Type.String(),
          name: Type.String(),
          type: Type.String(),
          role: Type.Optional(Type.String()),
          permissions: Type.Array(Type.String()),
        }),
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
      const row = await auth.createUser(db(), actorOf(req), req.body as auth.NewUser);
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
      const { version, ...changes } = req.body as {
        version?: number;
        role?: Role;
        isActive?: boolean;
        displayName?: string | null;
        password?: string;
      };
      return auth.updateUser(
        db(),
        actorOf(req),
        (req.params as { id: string }).id,
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
          expiresAt: Type.Optional(Nullable(DateTime)),
        }),
      ),
      response: { 201: ApiKey, ...errorResponses },
    },
    handler: async (req, reply) => {
      const body = req.body as { name: string; scopes: Permission[]; expiresAt?: string | null };
      return reply.status(201).send(await auth.createApiKey(db(), actorOf(req), body));
    },
  });

  app.delete('/api/v1/api-keys/:id', {
    config: { access: 'user:admin' },
    schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await auth.revokeApiKey(db(), actorOf(req), (req.params as { id: string }).id);
      return reply.status(204).send();
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
      const limit = (req.query as { limit?: number }).limit ?? 100;
      return { items: await db().select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit) };
    },
  });
}
