import { AppError } from './errors.js';

export interface PgErrorLike {
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message?: string;
}

/** The PostgreSQL error inside a driver or drizzle error, if there is one. */
export function pgError(err: unknown): PgErrorLike | undefined {
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
 * The column a violation is about, from the fields PostgreSQL reports separately. Only the
 * column's name is taken from `detail`: the rest of it quotes row values (a failing row may
 * hold a password hash) and never reaches a client.
 */
function columnOf(pg: PgErrorLike): string | undefined {
  if (pg.column) return pg.column;
  const key = /Key \(([a-z_]+)(?:,[^)]*)?\)/.exec(pg.detail ?? '')?.[1];
  if (key) return key;
  // CHECK constraints are named <table>_<column>_check when the schema does not name them
  if (pg.constraint && pg.table && pg.constraint.startsWith(`${pg.table}_`) && pg.constraint.endsWith('_check')) {
    return pg.constraint.slice(pg.table.length + 1, -'_check'.length);
  }
  return undefined;
}

/** Kerf's words for PostgreSQL data errors (class 22): what is wrong, not how the server said it. */
const DATA_ERRORS: Record<string, string> = {
  '22001': 'is too long',
  '22003': 'is out of range',
  '22007': 'is not a valid date or time',
  '22008': 'is not a valid date or time (out of range)',
  '22021': 'contains characters that cannot be stored (such as NUL)',
  '22P02': 'has the wrong form',
  '22P05': 'contains characters that cannot be stored (such as NUL)',
};

/** Kerf's own error for a PostgreSQL data error (class 22), or undefined for any other error. */
export function dataError(err: unknown): AppError | undefined {
  const pg = pgError(err);
  const words = pg?.code ? DATA_ERRORS[pg.code] : undefined;
  if (!pg || !words) return undefined;
  const column = columnOf(pg);
  const field = column ? camel(column) : undefined;
  return new AppError('validation', 'invalid_value', `${field ?? 'a value'}: ${words}`, field);
}

/**
 * Turns constraint violations into the one error type, naming the field, so a bad reference
 * or a duplicate is a 400/409 with a message rather than a 500. The messages are Kerf's own:
 * PostgreSQL's text names tables and constraints and quotes stored values.
 */
export function translatePgError(err: unknown, operation: 'write' | 'delete'): unknown {
  const pg = pgError(err);
  if (!pg) return err;
  const column = columnOf(pg);
  const field = column ? camel(column) : undefined;
  switch (pg.code) {
    case '23503':
      return operation === 'delete'
        ? new AppError(
            'conflict',
            'in_use',
            `still referenced by ${pg.table ? `records in ${pg.table.replace(/_/g, ' ')}` : 'other records'}; remove those first`,
          )
        : new AppError(
            'validation',
            'unknown_reference',
            `${field ?? 'reference'}: refers to a record that does not exist`,
            field,
          );
    case '23505':
      return new AppError(
        'conflict',
        'duplicate',
        `${field ?? 'record'}: a record with this value already exists`,
        field,
      );
    case '23514':
      return new AppError('validation', 'invalid_value', `${field ?? 'value'}: is outside the allowed values`, field);
    case '23502':
      return new AppError('validation', 'invalid_value', `${field ?? 'value'}: is required`, field);
    default:
      return dataError(err) ?? err;
  }
}
