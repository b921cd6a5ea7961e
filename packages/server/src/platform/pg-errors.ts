import { AppError } from './errors.js';

interface PgErrorLike {
  code?: string;
  detail?: string;
  constraint?: string;
  message?: string;
}

function pgError(err: unknown): PgErrorLike | undefined {
  // drizzle wraps driver errors; the PostgreSQL fields sit on the cause.
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const candidate = e as PgErrorLike & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    e = candidate.cause;
  }
  return undefined;
}

const camel = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Turns constraint violations into the one error type, naming the field, so a bad
 * reference or a duplicate is a 400/409 with a message rather than a 500.
 */
export function translatePgError(err: unknown, operation: 'write' | 'delete'): unknown {
  const pg = pgError(err);
  if (!pg) return err;
  const column = /Key \(([a-z_]+)(?:,[^)]*)?\)/.exec(pg.detail ?? '')?.[1];
  const field = column ? camel(column) : undefined;
  switch (pg.code) {
    case '23503':
      return operation === 'delete'
        ? new AppError(
            'conflict',
            'in_use',
            `still referenced by other records (${pg.detail ?? pg.constraint}); remove those first`,
          )
        : new AppError(
            'validation',
            'unknown_reference',
            `${field ?? 'reference'}: ${pg.detail ?? 'refers to a missing record'}`,
            field,
          );
    case '23505':
      return new AppError(
        'conflict',
        'duplicate',
        `${field ?? 'record'}: already exists (${pg.detail ?? pg.constraint})`,
        field,
      );
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return new AppError(
        'validation',
        'invalid_value',
        `${field ?? pg.constraint ?? 'value'}: ${pg.message ?? 'invalid'}`,
        field,
      );
    default:
      return err;
  }
}
