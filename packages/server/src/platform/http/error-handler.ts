import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, STATUS_OF_KIND } from '../errors.js';
import { dataError, pgError, type PgErrorLike } from '../pg-errors.js';
import { FIRST_YEAR, LAST_YEAR } from './validator.js';

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  details?: unknown;
}

/** "/routings/2/quantity" -> "routings[2].quantity" */
export function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const FORMATS: Record<string, string> = {
  'date-time': `must be an ISO 8601 date-time with a zone (e.g. 2026-03-01T06:00:00Z) in the years ${FIRST_YEAR}-${LAST_YEAR}`,
  date: `must be a date YYYY-MM-DD in the years ${FIRST_YEAR}-${LAST_YEAR}`,
  uuid: 'must be a UUID (e.g. 3f2a0c1e-8b4d-4c6e-9a7f-1b2c3d4e5f60)',
};

function formatReason(issue: AjvIssue): string {
  const format = issue.params?.format;
  return (typeof format === 'string' ? FORMATS[format] : undefined) ?? issue.message ?? 'is invalid';
}

const MAX_LOGGED_TEXT = 500;
const firstLine = (text: string): string => {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > MAX_LOGGED_TEXT ? `${line.slice(0, MAX_LOGGED_TEXT)}... (${line.length} chars)` : line;
};

/**
 * What the log keeps of an error. drizzle puts the query's parameters on the second line of
 * its message (and so of the stack): a new user's password hash, a whole job of 10,000
 * routings. PostgreSQL's `detail` quotes the failing row, and its messages for bad values
 * (class 22) quote the value. Only first lines, codes and stack frames are kept, so the log
 * says where it broke without the data. Log it under `error`, not `err`: pino's serializer
 * of `err` would fold the causes' messages back in.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  const chain: Record<string, unknown>[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause) {
    const entry: Record<string, unknown> = {};
    const pg = pgError(e) === e ? (e as PgErrorLike & { routine?: unknown }) : undefined;
    if (e instanceof Error) entry.type = e.name;
    if (pg) {
      for (const k of ['code', 'table', 'column', 'constraint', 'routine'] as const) if (pg[k]) entry[k] = pg[k];
      if (!pg.code?.startsWith('22')) entry.message = firstLine(pg.message ?? '');
    } else {
      entry.message = firstLine(e instanceof Error ? e.message : String(e));
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string') entry.code = code;
    }
    if (depth === 0 && e instanceof Error) {
      entry.stack = (e.stack ?? '')
        .split('\n')
        .filter((l) => l.startsWith('    at '))
        .slice(0, 12);
    }
    chain.push(entry);
  }
  const [head = {}, ...causes] = chain;
  return causes.length > 0 ? { ...head, causes } : head;
}

function validationBody(err: FastifyError & { validation: AjvIssue[]; validationContext?: string }): ErrorBody {
  const issue = err.validation[0]!;
  let path = jsonPointerToPath(issue.instancePath);
  const extra = issue.params?.additionalProperty ?? issue.params?.missingProperty;
  if (typeof extra === 'string') path = path ? `${path}.${extra}` : extra;
  const where = err.validationContext && err.validationContext !== 'body' ? `${err.validationContext} ` : '';
  const reason =
    issue.keyword === 'additionalProperties'
      ? 'is not a known field'
      : issue.keyword === 'format'
        ? formatReason(issue)
        : (issue.message ?? 'is invalid');
  const field = path || err.validationContext || 'body';
  return { error: 'invalid_field', message: `${where}${field}: ${reason}`, field };
}

const URL_PROBLEMS: Record<string, string> = {
  FST_ERR_BAD_URL: 'url: is not valid percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: 'url: a path segment is too long',
};

/** Fastify's own refusals before a route is found (Fastify option frameworkErrors), in the one error shape. */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  void reply
    .status(status)
    .send({ error: 'invalid_url', message: URL_PROBLEMS[err.code] ?? err.message, field: 'url' });
}

/** Maps every error to the JSON error shape once, here. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      const body: ErrorBody = { error: err.code, message: err.message };
      if (err.field) body.field = err.field;
      if (err.details !== undefined) body.details = err.details;
      return reply.status(STATUS_OF_KIND[err.kind]).send(body);
    }
    const withValidation = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
    if (withValidation.validation?.length) {
      return reply.status(400).send(validationBody(withValidation as FastifyError & { validation: AjvIssue[] }));
    }
    if (err.statusCode === 429) {
      return reply.status(429).send({ error: 'rate_limited', message: 'too many attempts; wait a minute and retry' });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // FST_ERR_CTP_*: the body could not be read (not JSON, too large, wrong content type)
      const field = err.code?.startsWith('FST_ERR_CTP_') ? { field: 'body' } : {};
      return reply.status(err.statusCode).send({ error: err.code ?? 'bad_request', message: err.message, ...field });
    }
    // A value PostgreSQL could not take (out of range, wrong form) is the client's to fix.
    const data = dataError(err);
    if (data) {
      request.log.warn({ error: loggableError(err) }, 'database refused a value');
      return reply
        .status(400)
        .send({ error: data.code, message: data.message, ...(data.field ? { field: data.field } : {}) });
    }
    request.log.error({ error: loggableError(err) }, 'unhandled error');
    return reply.status(500).send({ error: 'internal', message: 'internal error; see the server log' });
  });
  // The path only: a query string may carry an access token, which an answer never echoes.
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
