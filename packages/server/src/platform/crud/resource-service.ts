import { count, eq, and, getTableColumns, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db.js';
import type { RequestActor } from '../http/route-access.js';
import { AppError, notFound, staleVersion } from '../errors.js';
import { translatePgError } from '../pg-errors.js';
import { planList, splitTotal, totalOver, type FilterSpec, type ListParams } from './list-query.js';

type Row = Record<string, unknown>;

export interface ResourceTable extends PgTable {
  id: PgColumn;
  version: PgColumn;
  updatedAt: PgColumn;
}

export interface ResourceHooks {
  /** cross-field and cross-table rules; throw AppError('validation') naming the field */
  beforeWrite?: (tx: Db, input: Row, existing: Row | undefined) => Promise<void>;
}

/** Writes the audit row of a change in its transaction (the auth module's recordAudit). */
export type AuditWriter = (
  tx: Db,
  actor: RequestActor,
  action: 'create' | 'update' | 'delete',
  entity: string,
  entityId: string,
  before: unknown,
  after: unknown,
) => Promise<void>;

export interface ResourceSpec {
  /** how each change is audited */
  audit: AuditWriter;
  /** audit/entity name, e.g. "work_center" */
  entity: string;
  table: ResourceTable;
  filters: Record<string, FilterSpec>;
  sortable: Record<string, PgColumn>;
  defaultSort: string;
  hooks?: ResourceHooks;
  /** what the audit log keeps of a row, e.g. with its secrets redacted; default the row itself */
  auditView?: (row: Row) => Row;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * Create/read/update/delete for one table with optimistic concurrency and an audit row per
 * change, each write in one transaction. Tables with nested children (jobs) have their own service.
 */
export function resourceService(spec: ResourceSpec) {
  const { table, entity } = spec;
  const byId = (id: string): SQL => eq(table.id, id);
  const audited = (row: Row | undefined): Row | null => (row ? (spec.auditView?.(row) ?? row) : null);

  async function list(db: Db, params: ListParams): Promise<Page<Row>> {
    const plan = planList(params, spec.filters, spec.sortable, spec.defaultSort);
    const rows = await db
      .select({ ...getTableColumns(table), total: totalOver })
      .from(table)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit)
      .offset(plan.offset);
    const { items, total } = await splitTotal(rows as Array<Row & { total: number }>, plan.offset, async () =>
      Number((await db.select({ n: count() }).from(table).where(plan.where))[0]?.n ?? 0),
    );
    return { items: items as Row[], total, limit: plan.limit, offset: plan.offset };
  }

  async function get(db: Db, id: string): Promise<Row> {
    const rows = await db.select().from(table).where(byId(id)).limit(1);
    const row = rows[0] as Row | undefined;
    if (!row) throw notFound(entity, id);
    return row;
  }

  async function create(db: Db, actor: RequestActor, input: Row): Promise<Row> {
    try {
      return await db.transaction(async (tx) => {
        await spec.hooks?.beforeWrite?.(tx, input, undefined);
        const inserted = (await tx.insert(table).values(input).returning()) as Row[];
        const row = inserted[0] as Row;
        await spec.audit(tx, actor, 'create', entity, String(row.id), null, audited(row));
        return row;
      });
    } catch (err) {
      throw translatePgError(err, 'write');
    }
  }

  async function update(db: Db, actor: RequestActor, id: string, version: number, changes: Row): Promise<Row> {
    try {
      return await db.transaction(async (tx) => {
        const before = (await tx.select().from(table).where(byId(id)).for('update').limit(1))[0] as Row | undefined;
        if (!before) throw notFound(entity, id);
        if (before.version !== version) throw staleVersion(entity, id, version);
        await spec.hooks?.beforeWrite?.(tx, { ...before, ...changes }, before);
        const updated = (await tx
          .update(table)
          .set({ ...changes, version: version + 1, updatedAt: new Date() })
          .where(and(byId(id), eq(table.version, version)))
          .returning()) as Row[];
        const row = updated[0];
        if (!row) throw staleVersion(entity, id, version);
        await spec.audit(tx, actor, 'update', entity, id, audited(before), audited(row));
        return row;
      });
    } catch (err) {
      throw translatePgError(err, 'write');
    }
  }

  async function remove(db: Db, actor: RequestActor, id: string, version: number | undefined): Promise<void> {
    try {
      await db.transaction(async (tx) => {
        const before = (await tx.select().from(table).where(byId(id)).for('update').limit(1))[0] as Row | undefined;
        if (!before) throw notFound(entity, id);
        if (version !== undefined && before.version !== version) throw staleVersion(entity, id, version);
        await tx.delete(table).where(byId(id));
        await spec.audit(tx, actor, 'delete', entity, id, audited(before), null);
      });
    } catch (err) {
      throw translatePgError(err, 'delete');
    }
  }

  return { list, get, create, update, remove, spec };
}

export type ResourceService = ReturnType<typeof resourceService>;

export function requireVersion(bodyVersion: unknown, ifMatch: string | undefined): number {
  const raw = bodyVersion ?? (ifMatch ? ifMatch.replace(/^W\//, '').replace(/"/g, '') : undefined);
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isInteger(n) || n < 1) {
    throw new AppError(
      'validation',
      'version_required',
      'version: required for updates (send the row version in an If-Match header or a "version" field)',
      'version',
    );
  }
  return n;
}
