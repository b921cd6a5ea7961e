import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/http/route-access.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import { ISSUE_MANAGE } from './issue-notice.js';
import { PHOTO_TYPES } from './issue-photos.js';
import {
  FloorIssue,
  FloorIssueDetail,
  FloorIssuePage,
  ISSUE_BODY_LIMIT,
  IssueListQuery,
  IssuePhotoParams,
  IssueReport,
  IssueResolution,
} from './issue-schemas.js';
import { handleIssue, reportIssue } from './issue-service.js';
import { issueDetail, issuePhoto, listIssues, type MachineStatusReader } from './issue-views.js';

const tags = ['floor'];

/**
 * Issue reporting (ADR 0024): operators report from the tablet, supervisors list, look and
 * handle. `machines` is the machines module's status cache, for the linked machine's state.
 */
export function registerIssueRoutes(fastify: FastifyInstance, ctx: AppContext, machines: MachineStatusReader): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const deps = () => ({ db: ctx.database.db, events: ctx.events });

  app.post('/api/v1/floor/issues', {
    config: { access: 'issue:create' },
    // Four photos in base64 do not fit the server's 1 MB JSON default.
    bodyLimit: ISSUE_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Report a quality, downtime or material problem',
      description:
        'Notifies every role that handles issues. The same clientId again answers the first report with 200 and changes nothing; a new report answers 201.',
      body: IssueReport,
      response: { 200: FloorIssue, 201: FloorIssue, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { issue, created } = await reportIssue(deps(), actorOf(req), req.body);
      return reply.status(created ? 201 : 200).send(issue);
    },
  });

  app.get('/api/v1/floor/issues', {
    config: { access: ISSUE_MANAGE },
    schema: { tags, querystring: IssueListQuery, response: { 200: FloorIssuePage, ...errorResponses } },
    handler: async (req) => {
      const limit = req.query.limit ?? 50;
      const offset = req.query.offset ?? 0;
      const page = await listIssues(ctx.database.db, { ...req.query, limit, offset });
      return { ...page, limit, offset };
    },
  });

  app.get('/api/v1/floor/issues/:id', {
    config: { access: ISSUE_MANAGE },
    schema: { tags, params: IdParams, response: { 200: FloorIssueDetail, ...errorResponses } },
    handler: async (req) => issueDetail(ctx.database.db, machines, req.params.id),
  });

  app.get('/api/v1/floor/issues/:id/photos/:n', {
    config: { access: ISSUE_MANAGE },
    schema: {
      tags,
      summary: 'A photo of an issue: the image bytes with their content type',
      params: IssuePhotoParams,
      produces: [...PHOTO_TYPES],
      response: {
        // Sent as bytes (Fastify does not serialize a Buffer); the schema is for the contract.
        200: Type.Unsafe<Buffer>({
          type: 'string',
          format: 'binary',
          description: 'image/jpeg, image/png or image/webp',
        }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const photo = await issuePhoto(ctx.database.db, req.params.id, req.params.n);
      return reply
        .type(photo.contentType)
        .header('cache-control', 'private, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .send(photo.bytes);
    },
  });

  app.post('/api/v1/floor/issues/:id/acknowledge', {
    config: { access: ISSUE_MANAGE },
    schema: { tags, params: IdParams, response: { 200: FloorIssue, ...errorResponses } },
    handler: async (req) => handleIssue(deps(), actorOf(req), req.params.id, 'acknowledge'),
  });

  app.post('/api/v1/floor/issues/:id/close', {
    config: { access: ISSUE_MANAGE },
    schema: { tags, params: IdParams, body: IssueResolution, response: { 200: FloorIssue, ...errorResponses } },
    // A close without a resolution may come without a body: validated as the empty object.
    preValidation: async (req) => {
      if (req.body === undefined) req.body = {};
    },
    handler: async (req) => handleIssue(deps(), actorOf(req), req.params.id, 'close', req.body.resolution),
  });
}
