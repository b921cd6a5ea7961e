import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Permission } from '../../auth/permissions.js';
import type { AppContext } from '../../platform/context.js';
import { actorOf } from '../../platform/http/route-access.js';
import { errorResponses, pageOf, pageParams } from '../../platform/http/schemas.js';
import { acknowledgeAlarm, listAlarms } from './alarm-records.js';
import { dismissSuggestion, listSuggestions } from './replan-service.js';
import { listRules, updateRule } from './rules-service.js';
import {
  Alarm,
  AlarmQuery,
  AlarmRule,
  AlarmRulePatchBody,
  ReplanQuery,
  ReplanSuggestion,
  RuleParams,
  UuidParams,
} from './schemas.js';

/**
 * Acknowledging is for supervisors and up. None of the twelve role permissions names it; schedule:edit is
 * the one held by exactly supervisor, production manager and admin (not operators, not read-only keys).
 */
export const ALARM_ACK_PERMISSION: Permission = 'schedule:edit';

const tags = ['alarms'];

export function registerAlarmRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.get('/api/v1/alarms', {
    config: { access: 'machine:view' },
    schema: { tags, querystring: AlarmQuery, response: { 200: pageOf(Alarm), ...errorResponses } },
    handler: async (req) => {
      const q = req.query;
      const { limit, offset } = pageParams(q);
      const page = await listAlarms(db(), {
        ...(q.active !== undefined ? { active: q.active } : {}),
        ...(q.machine !== undefined ? { machine: q.machine } : {}),
        ...(q.department !== undefined ? { department: q.department } : {}),
        ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
        limit,
        offset,
      });
      return { ...page, limit, offset };
    },
  });

  app.post('/api/v1/alarms/:id/acknowledge', {
    config: { access: ALARM_ACK_PERMISSION },
    schema: { tags, params: UuidParams, response: { 200: Alarm, ...errorResponses } },
    handler: async (req) => {
      return acknowledgeAlarm(db(), ctx.events, actorOf(req), req.params.id);
    },
  });

  app.get('/api/v1/alarm-rules', {
    config: { access: 'machine:view' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(AlarmRule) }), ...errorResponses } },
    handler: async () => ({ items: await listRules(db()) }),
  });

  app.patch('/api/v1/alarm-rules/:id', {
    config: { access: 'machine:config' },
    schema: { tags, params: RuleParams, body: AlarmRulePatchBody, response: { 200: AlarmRule, ...errorResponses } },
    handler: async (req) => updateRule(db(), actorOf(req), req.params.id, req.body),
  });

  app.get('/api/v1/replan-suggestions', {
    config: { access: 'schedule:view' },
    schema: {
      tags: ['planning'],
      querystring: ReplanQuery,
      response: { 200: Type.Object({ items: Type.Array(ReplanSuggestion) }), ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      const { limit, offset } = pageParams(q);
      return {
        items: await listSuggestions(db(), {
          ...(q.open !== undefined ? { open: q.open } : {}),
          ...(q.workCenter !== undefined ? { workCenter: q.workCenter } : {}),
          limit,
          offset,
        }),
      };
    },
  });

  app.post('/api/v1/replan-suggestions/:id/dismiss', {
    config: { access: 'schedule:edit' },
    schema: { tags: ['planning'], params: UuidParams, response: { 200: ReplanSuggestion, ...errorResponses } },
    handler: async (req) => dismissSuggestion(db(), actorOf(req), req.params.id),
  });
}
