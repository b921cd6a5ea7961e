import type { Database } from '../platform/db.js';

export interface MachineRef {
  id: string;
  code: string;
  departmentId: string;
  enabled: boolean;
  protocol: string;
  /** Sparkplug group and edge node from `connection`, when registered (the broker's publish guard checks them) */
  sparkplug?: { groupId?: string; edgeNodeId?: string };
}

interface RegistryRow {
  id: string;
  code: string;
  department_id: string;
  enabled: boolean;
  protocol: string;
  group_id: string | null;
  edge_node_id: string | null;
}

/**
 * Machine codes the ingest knows, read from `machines`. An unknown code reloads the table at
 * most once a second, so a machine created through the API is picked up without a restart and
 * a flood of unknown codes cannot hammer the database.
 */
export class MachineRegistry {
  private byCode = new Map<string, MachineRef>();
  private loadedAt = 0;
  private stale = false;

  constructor(private readonly database: Database) {}

  async load(): Promise<void> {
    const rows = await this.database.query<RegistryRow>(
      `SELECT id, code, department_id, enabled, protocol,
              connection->>'groupId' AS group_id, connection->>'edgeNodeId' AS edge_node_id
       FROM machines`,
    );
    this.byCode = new Map(rows.map((r) => [r.code, refOf(r)]));
    this.loadedAt = Date.now();
  }

  get(code: string): MachineRef | undefined {
    return this.byCode.get(code);
  }

  all(): MachineRef[] {
    return [...this.byCode.values()];
  }

  /** Resolves codes, reloading once when some are unknown and the copy is older than a second. */
  async resolve(codes: Iterable<string>): Promise<void> {
    if (this.stale) {
      this.stale = false;
      return this.load();
    }
    for (const code of codes) {
      if (!this.byCode.has(code)) {
        if (Date.now() - this.loadedAt > 1000) await this.load();
        return;
      }
    }
  }

  /** Makes the next resolve reload (after a machine is created or changed). */
  invalidate(): void {
    this.stale = true;
  }
}

function refOf(r: RegistryRow): MachineRef {
  const ref: MachineRef = {
    id: r.id,
    code: r.code,
    departmentId: r.department_id,
    enabled: r.enabled,
    protocol: r.protocol,
  };
  if (r.group_id !== null || r.edge_node_id !== null) {
    ref.sparkplug = {
      ...(r.group_id !== null ? { groupId: r.group_id } : {}),
      ...(r.edge_node_id !== null ? { edgeNodeId: r.edge_node_id } : {}),
    };
  }
  return ref;
}
