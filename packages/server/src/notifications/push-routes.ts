import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/http/route-access.js';
import { errorResponses } from '../platform/http/schemas.js';
import { vapidIdentityCache } from './push-keys.js';
import { PushEndpointBody, PushPublicKey, PushSubscriptionBody, PushSubscriptionView } from './push-schemas.js';
import { listSubscriptions, subscribe, unsubscribe } from './push-subscriptions.js';

const tags = ['notifications'];

/**
 * Web Push subscriptions (ADR 0025). schedule:view is what every role holds and what reading
 * notifications needs; a station's token alone lacks it, so only a person (an operator signed
 * in on the station included) subscribes.
 */
export function registerPushRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  const identity = vapidIdentityCache(db, ctx.config);

  app.get('/api/v1/push/public-key', {
    config: { access: 'schedule:view' },
    schema: { tags, response: { 200: PushPublicKey, ...errorResponses } },
    handler: async () => ({ publicKey: (await identity()).publicKey }),
  });

  app.get('/api/v1/push/subscriptions', {
    config: { access: 'schedule:view' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(PushSubscriptionView) }), ...errorResponses } },
    handler: async (req) => ({ items: await listSubscriptions(db(), actorOf(req)) }),
  });

  app.post('/api/v1/push/subscriptions', {
    config: { access: 'schedule:view' },
    schema: {
      tags,
      body: PushSubscriptionBody,
      response: { 200: PushSubscriptionView, 201: PushSubscriptionView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { created, subscription } = await subscribe(db(), actorOf(req), req.body, {
        userAgent: req.headers['user-agent'],
        allowLoopback: ctx.config.pushAllowLoopback,
      });
      return reply.status(created ? 201 : 200).send(subscription);
    },
  });

  app.delete('/api/v1/push/subscriptions', {
    config: { access: 'schedule:view' },
    schema: { tags, body: PushEndpointBody, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await unsubscribe(db(), actorOf(req), req.body.endpoint);
      return reply.status(204).send(null);
    },
  });
}
