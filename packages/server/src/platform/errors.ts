/**
 * The one error type of Kerf. Services throw it; the HTTP layer maps `kind` to a status
 * once (see http/error-handler.ts), and the CLI maps it to an exit code.
 */
export type ErrorKind =
  'validation' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** stable machine-readable code, e.g. "routing_cycle" */
    readonly code: string,
    message: string,
    /** JSON path of the offending field, e.g. "routings[2].dependencies" */
    readonly field?: string,
    /** per-item details for bulk operations (e.g. CSV row errors) */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalid = (field: string, message: string, code = 'invalid_field'): AppError =>
  new AppError('validation', code, `${field}: ${message}`, field);

export const notFound = (entity: string, id: string): AppError =>
  new AppError('not_found', 'not_found', `${entity} ${id} does not exist`);

export const staleVersion = (entity: string, id: string, expected: number): AppError =>
  new AppError(
    'conflict',
    'stale_version',
    `${entity} ${id} was changed by someone else (your version ${expected} is stale); reload and retry`,
    'version',
  );
