import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { errorResponses } from '../platform/http/schemas.js';

const ShopSettings = Type.Object({
  timeZone: Type.String({
    description: 'IANA time zone of the shop (KERF_TIMEZONE); shift times are wall-clock times there',
  }),
  frozenWindowMinutes: Type.Integer({ description: 'work starting this soon is not moved by a plan run' }),
  nightlyAt: Type.String({ description: "shop-local hh:mm of the nightly plan run, or 'off'" }),
});

/** The shop-wide settings a client needs to show times the way the floor reads them. */
export function registerShopSettingsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/shop-settings', {
    config: { access: 'schedule:view' },
    schema: { tags: ['shop'], response: { 200: ShopSettings, ...errorResponses } },
    handler: async () => ({
      timeZone: ctx.config.timeZone,
      frozenWindowMinutes: ctx.config.frozenWindowMinutes,
      nightlyAt: ctx.config.nightlyAt,
    }),
  });
}
