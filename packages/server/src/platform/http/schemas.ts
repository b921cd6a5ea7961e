import { Type, type TObject, type TProperties, type TSchema } from 'typebox';

/** Shared building blocks for route schemas; they validate requests and feed OpenAPI. */

/**
 * A closed set of words (statuses, kinds): `{ type: 'string', enum }` in the contract, so generated
 * clients get the exact union, and the same union as the static type (a mapped Type.Union loses it).
 */
export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * A varchar column the code writes only these words to. The contract lists them exactly; the static
 * type stays string because that is how drizzle reads the column.
 */
export function OneOfColumn(values: readonly string[], options: { description?: string } = {}) {
  return Type.Unsafe<string>({ type: 'string', enum: [...values], ...options });
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * An instant, sent as an ISO 8601 string. Handlers may return the Date a timestamp column reads as
 * (fast-json-stringify writes it as ISO 8601), so its static type takes both; requests always bring the string.
 */
export const DateTime = Type.Unsafe<string | Date>(Type.String({ format: 'date-time' }));
/** An instant in a request (body, query): always the ISO 8601 string. */
export const DateTimeInput = Type.String({ format: 'date-time' });
export const DateOnly = Type.String({ format: 'date' });
export const Uuid = Type.String({ format: 'uuid' });
export const Code = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' });

/**
 * Gives the contract's main objects their names: titled schemas become named components of the
 * OpenAPI document (openapi-components.ts), so generated clients name them too. Call it beside the
 * definitions, before any route uses them.
 */
export function nameSchemas(schemas: Record<string, TSchema>): void {
  for (const [name, schema] of Object.entries(schemas)) (schema as { title?: string }).title = name;
}

/** Rejects unknown fields: a typo in a field name is an error, not silently ignored. */
export function strict<T extends TObject>(schema: T): T {
  return { ...schema, additionalProperties: false };
}

export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'a stable code, e.g. invalid_field, not_found, stale_version, forbidden' }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'the request field at fault, e.g. routings[2].quantity' })),
    details: Type.Optional(Type.Unknown()),
  },
  { title: 'ErrorResponse' },
);

export const RowMeta = {
  version: Type.Integer({ minimum: 1 }),
  createdAt: DateTime,
  updatedAt: DateTime,
};

export const VersionField = {
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'row version (or send If-Match)' })),
};

/** `:id` of rows keyed by a UUID (jobs, customers, users, plans, ...): anything else is a 400, not a query. */
export const IdParams = Type.Object({ id: Uuid });
/** `:id` of rows keyed by a code the shop chose (departments, work centers). */
export const CodeIdParams = Type.Object({ id: Code });

/** Past this a client pages by filter (dates, status), not by skipping a million rows. */
export const MAX_OFFSET = 1_000_000;
export const Offset = Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 });
export const limitOf = (max: number, byDefault: number) =>
  Type.Integer({ minimum: 1, maximum: max, default: byDefault });

export const VersionHeaders = Type.Object({ 'if-match': Type.Optional(Type.String()) });

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });
}

const LIST_LIMIT = 50;

export function listQuery<P extends TProperties>(filters: P) {
  return strict(
    Type.Object({
      limit: Type.Optional(limitOf(500, LIST_LIMIT)),
      offset: Type.Optional(Offset),
      sort: Type.Optional(
        Type.String({ maxLength: 200, description: 'comma-separated fields; prefix - for descending' }),
      ),
      ...filters,
    }),
  );
}

/**
 * limit and offset of a validated listQuery. ajv has filled in their defaults already; the schema's
 * static type cannot say so (they are optional to the caller), so this says it once.
 */
export function pageParams(q: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: q.limit ?? LIST_LIMIT, offset: q.offset ?? 0 };
}

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
};
