import { recordAudit } from '../auth/audit.js';
import { eq } from 'drizzle-orm';
import { resourceService, type Page } from '../platform/crud/resource-service.js';
import type { ListParams } from '../platform/crud/list-query.js';
import type { Db } from '../platform/db.js';
import { OPCUA_SECURITY_MODES, OPCUA_SECURITY_POLICIES } from '@kerf/connectors';
import { invalid, notFound, staleVersion } from '../platform/errors.js';
import type { Actor } from '../auth/actor.js';
import { mergeConnection, redactMachine } from './connection-secrets.js';
import type { StatusCache } from './status-cache.js';
import type { MachineStatus } from './status-types.js';
import { machines } from './tables.js';
import { isUuid } from '../platform/uuid.js';

export type MachineRow = typeof machines.$inferSelect;
export type MachineWithStatus = MachineRow & { status: MachineStatus };

export const machineService = resourceService({
  audit: recordAudit,
  entity: 'machine',
  table: machines,
  filters: {
    departmentId: { column: machines.departmentId, kind: 'exact' },
    protocol: { column: machines.protocol, kind: 'exact' },
    enabled: { column: machines.enabled, kind: 'exact' },
  },
  sortable: { code: machines.code, name: machines.name, departmentId: machines.departmentId },
  defaultSort: 'code',
  auditView: redactMachine,
});

type Json = Record<string, unknown>;

/** OPC UA channel security is refused at the door when it names no mode or policy the client knows. */
function checkOpcUaSecurity(protocol: unknown, connection: Json | undefined): void {
  if (protocol !== 'opcua' || !connection) return;
  for (const [field, allowed] of [
    ['securityMode', OPCUA_SECURITY_MODES],
    ['securityPolicy', OPCUA_SECURITY_POLICIES],
  ] as const) {
    const v = connection[field];
    if (v !== undefined && v !== null && !(allowed as readonly unknown[]).includes(v))
      throw invalid(`connection.${field}`, `expected one of ${allowed.join(', ')}`);
  }
  const mode = connection.securityMode ?? 'SignAndEncrypt';
  const policy = connection.securityPolicy ?? (mode === 'None' ? 'None' : 'Basic256Sha256');
  if ((mode === 'None') !== (policy === 'None'))
    throw invalid(
      'connection.securityPolicy',
      `"${String(policy)}" does not fit securityMode "${String(mode)}" (None goes with None)`,
    );
}

/** Registers a machine; a secret marker in `connection` is refused (there is nothing stored to keep). */
export async function createMachine(db: Db, actor: Actor, input: Json): Promise<MachineRow> {
  const connection = input.connection as Json | undefined;
  checkOpcUaSecurity(input.protocol, connection);
  const row = connection ? { ...input, connection: mergeConnection({}, connection) } : input;
  return (await machineService.create(db, actor, row)) as MachineRow;
}

/**
 * Changes a machine; a new `connection` replaces the stored one except for secrets it leaves out
 * or sends as the marker, which keep their stored values (connection-secrets.ts).
 */
export async function updateMachine(
  db: Db,
  actor: Actor,
  current: MachineRow,
  version: number,
  changes: Json,
): Promise<MachineRow> {
  // The merge reads `current`: the update below refuses it if the row moved on since.
  if (current.version !== version) throw staleVersion('machine', current.id, version);
  const connection = changes.connection as Json | undefined;
  checkOpcUaSecurity(
    changes.protocol ?? current.protocol,
    connection ?? (changes.protocol ? current.connection : undefined),
  );
  const row = connection ? { ...changes, connection: mergeConnection(current.connection, connection) } : changes;
  return (await machineService.update(db, actor, current.id, version, row)) as MachineRow;
}

/** A machine by UUID or by code (the API accepts either in `{id}`). */
export async function findMachine(db: Db, idOrCode: string): Promise<MachineRow> {
  const rows = await db
    .select()
    .from(machines)
    .where(isUuid(idOrCode) ? eq(machines.id, idOrCode) : eq(machines.code, idOrCode))
    .limit(1);
  const row = rows[0];
  if (!row) throw notFound('machine', idOrCode);
  return row;
}

/** The machines linked to a work center, by code (a floor downtime report names one of them). */
export async function machinesOfWorkCenter(
  db: Db,
  workCenterId: string,
): Promise<Pick<MachineRow, 'id' | 'code' | 'name' | 'departmentId' | 'workCenterId'>[]> {
  return db
    .select({
      id: machines.id,
      code: machines.code,
      name: machines.name,
      departmentId: machines.departmentId,
      workCenterId: machines.workCenterId,
    })
    .from(machines)
    .where(eq(machines.workCenterId, workCenterId))
    .orderBy(machines.code);
}

export async function withStatus(cache: StatusCache, rows: MachineRow[]): Promise<MachineWithStatus[]> {
  const statuses = await cache.read(rows);
  return rows.map((row, i) => ({ ...redactMachine(row), status: statuses[i]! }));
}

export async function listMachines(db: Db, cache: StatusCache, params: ListParams): Promise<Page<MachineWithStatus>> {
  const page = await machineService.list(db, params);
  return { ...page, items: await withStatus(cache, page.items as MachineRow[]) };
}
