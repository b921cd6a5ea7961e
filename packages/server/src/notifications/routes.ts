import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/http/route-access.js';
import {
  DateTime,
  errorResponses,
  listQuery,
  Nullable,
  Uuid,
  nameSchemas,
  pageParams,
} from '../platform/http/schemas.js';
import { listNotifications, markAllRead, markRead } from './service.js';

const tags = ['notifications'];

const NotificationSchema = Type.Object({
  id: Uuid,
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  link: Nullable(Type.String()),
  recipientRole: Nullable(Type.String()),
  recipientUserId: Nullable(Uuid),
  createdAt: DateTime,
  readAt: Nullable(DateTime),
});
nameSchemas({ Notification: NotificationSchema });

// Every role holds schedule:view, so every user reads the notifications addressed to them.
export function registerNotificationRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.get('/api/v1/notifications', {
    config: { access: 'schedule:view' },
    schema: {
      tags,
      querystring: listQuery({ unread: Type.Optional(Type.Boolean()) }),
      response: {
        200: Type.Object({
          items: Type.Array(NotificationSchema),
          total: Type.Integer(),
          unread: Type.Integer(),
          limit: Type.Integer(),
          offset: Type.Integer(),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const q = req.query;
      const { limit, offset } = pageParams(q);
      const page = await listNotifications(db(), actorOf(req), {
        ...(q.unread !== undefined ? { unread: q.unread } : {}),
        limit,
        offset,
      });
      return { ...page, limit, offset };
    },
  });

  app.post('/api/v1/notifications/:id/read', {
    config: { access: 'schedule:view' },
    schema: { tags, params: Type.Object({ id: Uuid }), response: { 200: NotificationSchema, ...errorResponses } },
    handler: async (req) => markRead(db(), actorOf(req), req.params.id),
  });

  app.post('/api/v1/notifications/read-all', {
    config: { access: 'schedule:view' },
    schema: { tags, response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses } },
    handler: async (req) => markAllRead(db(), actorOf(req)),
  });
}
