import { Redis } from 'ioredis';
import type { AlarmValue, MachineState } from '@kerf/connectors';
import type { Database } from '../platform/db.js';
import type { MachineRef } from './registry.js';
import type { MachineStatus } from './status-types.js';

export function unknownStatus(ref: Pick<MachineRef, 'id' | 'code' | 'departmentId'>): MachineStatus {
  return {
    machineId: ref.id,
    code: ref.code,
    departmentId: ref.departmentId,
    state: 'offline',
    since: null,
    partCount: null,
    program: null,
    jobId: null,
    activeAlarms: [],
    lastSeen: null,
    metrics: {},
  };
}

const keyOf = (code: string) => `kerf:machine:${code}`;

/**
 * Current status per machine. The ingest keeps the authoritative copy in this process; with
 * REDIS_URL every change is also written to a Redis hash per machine, so other Kerf instances
 * answer status reads; the events reach them through the event bus's fan-out.
 */
export class StatusCache {
  private readonly local = new Map<string, MachineStatus>();
  private redis: Redis | undefined;

  /** Loads the persisted status (machine_status) so a restart starts from what was known. */
  async load(database: Database): Promise<void> {
    const rows = await database.query<{
      id: string;
      code: string;
      department_id: string;
      state: MachineState;
      since: Date;
      part_count: string | number | null;
      program: string | null;
      job_id: string | null;
      active_alarms: AlarmValue[];
      last_seen: Date;
    }>(
      `SELECT m.id, m.code, m.department_id, s.state, s.since, s.part_count, s.program, s.job_id, s.active_alarms, s.last_seen
       FROM machine_status s JOIN machines m ON m.id = s.machine_id`,
    );
    for (const r of rows) {
      this.local.set(r.code, {
        machineId: r.id,
        code: r.code,
        departmentId: r.department_id,
        state: r.state,
        since: new Date(r.since).toISOString(),
        partCount: r.part_count === null ? null : Number(r.part_count),
        program: r.program,
        jobId: r.job_id,
        activeAlarms: r.active_alarms,
        lastSeen: new Date(r.last_seen).toISOString(),
        metrics: this.local.get(r.code)?.metrics ?? {},
      });
    }
  }

  /** Keeps the status in Redis too, so every instance reads what any instance's ingest wrote. */
  async connectRedis(url: string): Promise<void> {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await this.redis.connect();
  }

  /** This process's copy (what the ingest computes from). */
  current(code: string): MachineStatus | undefined {
    return this.local.get(code);
  }

  /** Status for reads: Redis when configured (any instance's writes), else this process. */
  async read(refs: Pick<MachineRef, 'id' | 'code' | 'departmentId'>[]): Promise<MachineStatus[]> {
    if (!this.redis) return refs.map((r) => this.local.get(r.code) ?? unknownStatus(r));
    const pipeline = this.redis.pipeline();
    for (const r of refs) pipeline.hget(keyOf(r.code), 'status');
    const answers = (await pipeline.exec()) ?? [];
    return refs.map((r, i) => {
      const raw = answers[i]?.[1];
      return typeof raw === 'string'
        ? (JSON.parse(raw) as MachineStatus)
        : (this.local.get(r.code) ?? unknownStatus(r));
    });
  }

  /** Stores new statuses (after the batch committed). */
  async put(statuses: MachineStatus[]): Promise<void> {
    for (const s of statuses) this.local.set(s.code, s);
    if (!this.redis) return;
    const pipeline = this.redis.pipeline();
    for (const s of statuses) pipeline.hset(keyOf(s.code), 'status', JSON.stringify(s), 'state', s.state);
    await pipeline.exec();
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}
