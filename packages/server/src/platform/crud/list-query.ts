import { and, asc, desc, eq, gte, ilike, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { invalid } from '../errors.js';

export type FilterKind = 'exact' | 'from' | 'to' | 'search';

export interface FilterSpec {
  column: PgColumn;
  kind: FilterKind;
  /** for 'search': extra columns matched by the same text */
  alsoColumns?: PgColumn[];
}

export interface ListParams {
  limit?: number;
  offset?: number;
  sort?: string;
  [filter: string]: unknown;
}

export interface ListPlan {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

export const MAX_LIMIT = 500;

/**
 * Turns ?limit&offset&sort=-field,field2&<filter>=value into SQL pieces. Only declared filters and
 * sortable fields are accepted, so clients cannot sort on unindexed or private columns.
 */
export function planList(
  params: ListParams,
  filters: Record<string, FilterSpec>,
  sortable: Record<string, PgColumn>,
  defaultSort: string,
): ListPlan {
  const conditions: SQL[] = [];
  for (const [name, spec] of Object.entries(filters)) {
    const value = params[name];
    if (value === undefined || value === '') continue;
    switch (spec.kind) {
      case 'exact':
        conditions.push(eq(spec.column, value));
        break;
      case 'from':
        conditions.push(gte(spec.column, value));
        break;
      case 'to':
        conditions.push(lte(spec.column, value));
        break;
      case 'search': {
        const pattern = `%${String(value).replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        const cols = [spec.column, ...(spec.alsoColumns ?? [])];
        const match = or(...cols.map((c) => ilike(c, pattern)));
        if (match) conditions.push(match);
        break;
      }
    }
  }
  checkRanges(params, filters);
  // A Map, not the object: sortable["constructor"] is a function every object inherits.
  const columns = new Map(Object.entries(sortable));
  const orderBy: SQL[] = [];
  for (const raw of (params.sort ?? defaultSort).split(',').filter(Boolean)) {
    const descending = raw.startsWith('-');
    const key = descending ? raw.slice(1) : raw;
    const column = columns.get(key);
    if (!column) throw invalid('sort', `cannot sort by "${key}"; sortable fields: ${[...columns.keys()].join(', ')}`);
    orderBy.push(descending ? desc(column) : asc(column));
  }
  return {
    where: conditions.length ? and(...conditions) : undefined,
    orderBy,
    limit: Math.min(params.limit ?? 50, MAX_LIMIT),
    offset: params.offset ?? 0,
  };
}

const instant = (v: unknown): number => (v instanceof Date ? v.getTime() : Date.parse(String(v)));

/** A `from` filter after the `to` filter of the same column matches nothing: a client mistake. */
function checkRanges(params: ListParams, filters: Record<string, FilterSpec>): void {
  const specs = Object.entries(filters);
  for (const [fromName, from] of specs) {
    if (from.kind !== 'from' || params[fromName] === undefined || params[fromName] === '') continue;
    for (const [toName, to] of specs) {
      if (to.kind !== 'to' || to.column !== from.column || params[toName] === undefined || params[toName] === '')
        continue;
      if (instant(params[fromName]) > instant(params[toName])) throw invalid(toName, `must not be before ${fromName}`);
    }
  }
}

/** The total number of matching rows, carried on every row of the page (one query, not two). */
export const totalOver = sql<number>`count(*) over()`.mapWith(Number);

/**
 * Splits rows selected with `total: totalOver` into items and the total. An empty page past the
 * end carries no total, so only then is the separate count asked for.
 */
export async function splitTotal<T extends { total: number }>(
  rows: T[],
  offset: number,
  count: () => Promise<number>,
): Promise<{ items: Array<Omit<T, 'total'>>; total: number }> {
  const total = rows[0]?.total ?? (offset > 0 ? await count() : 0);
  return { items: rows.map(({ total: _t, ...rest }) => rest), total };
}
