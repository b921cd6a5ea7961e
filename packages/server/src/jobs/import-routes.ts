import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.js';
import type { Permission } from '../auth/permissions.js';
import type { ImportOptions, ImportResult } from '../imports/import-run.js';
import { importJobs } from '../imports/job-import.js';
import { CsvBody, CSV_ERROR_DESCRIPTION, ImportQuery, ImportResultSchema } from '../imports/schemas.js';
import { importWorkCenters } from '../imports/work-center-import.js';
import type { AppContext } from '../platform/context.js';
import type { Db } from '../platform/db.js';
import { actorOf } from '../platform/http/route-access.js';
import { ErrorResponse, errorResponses } from '../platform/http/schemas.js';

/** A shop's full routing export is a few MB; the default 1 MB JSON limit is too small. */
export const CSV_BODY_LIMIT = 10 * 1024 * 1024;

type Importer = (db: Db, actor: Actor, csv: string, options: ImportOptions) => Promise<ImportResult>;

/** CSV import routes (work centers; jobs with parts and routings). All or nothing per file. */
export function registerImportRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Own plugin scope: the text/csv parser and its body limit apply to these routes only.
  void app.register(async (scope) => {
    // Only CSV: a JSON body here is a client mistake, answered 415 instead of being parsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );

    const route = (path: string, access: Permission, summary: string, description: string, run: Importer) =>
      scope.withTypeProvider<TypeBoxTypeProvider>().post(`/api/v1/imports/${path}`, {
        config: { access },
        bodyLimit: CSV_BODY_LIMIT,
        schema: {
          tags: ['imports'],
          summary,
          description,
          consumes: ['text/csv'],
          querystring: ImportQuery,
          body: CsvBody,
          response: {
            200: ImportResultSchema,
            ...errorResponses,
            400: { ...ErrorResponse, description: CSV_ERROR_DESCRIPTION },
            413: ErrorResponse,
            415: ErrorResponse,
          },
        },
        handler: async (req) => {
          // Without a body (or a Content-Type) there is no string; that is an empty file.
          const csv = typeof req.body === 'string' ? req.body : '';
          return run(ctx.database.db, actorOf(req), csv, {
            dryRun: req.query.dryRun === true,
          });
        },
      });

    route(
      'work-centers',
      'machine:config',
      'Import work centers from CSV (upsert by id)',
      'Columns: id, name, department_id, machine_type (required), capacity_minutes_per_shift, efficiency_factor, setup_category, is_bottleneck, is_active, iot_device_id, sigmanest_machine_id. See docs/csv-import.md.',
      importWorkCenters,
    );
    route(
      'jobs',
      'job:create',
      'Import jobs with parts and routings from CSV (one row per routing step)',
      'Rows are grouped by job_number; every job is created as by POST /api/v1/jobs, all in one transaction. See docs/csv-import.md for the columns.',
      importJobs,
    );
  });
}
