import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, STATUS_OF_KIND } from '../errors.js';

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

function validationBody(err: FastifyError & { validation: AjvIssue[]; validationContext?: string }): ErrorBody {
  const issue = err.validation[0]!;
  let path = jsonPointerToPath(issue.instancePath);
  const extra = issue.params?.additionalProperty ?? issue.params?.missingProperty;
  if (typeof extra === 'string') path = path ? `${path}.${extra}` : extra;
  const where = err.validationContext && err.validationContext !== 'body' ? `${err.validationContext} ` : '';
  const reason = issue.keyword === 'additionalProperties' ? 'is not a known field' : (issue.message ?? 'is invalid');
  const field = path || err.validationContext || 'body';
  return { error: 'invalid_field', message: `${where}${field}: ${reason}`, field };
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
      return reply.status(err.statusCode).send({ error: err.code ?? 'bad_request', message: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'internal', message: 'internal error; see the server log' });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url}` });
  });
}
