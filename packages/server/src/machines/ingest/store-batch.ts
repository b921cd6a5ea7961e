import { sql } from 'drizzle-orm';
import type { MachineEvent } from '@kerf/connectors';
import type { Db } from '../../platform/db.js';
import type { MachineRef } from '../registry.js';
import type { MachineStatus } from '../status-types.js';
import { applyEvents, type StatusStep } from './status-step.js';

export interface ResolvedEvent {
  event: MachineEvent;
  machine: MachineRef;
}

export interface StoredBatch {
  /** indexes (into the batch) of the events that were new; the others were duplicates */
  stored: number[];
  steps: StatusStep[];
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

function columns(e: MachineEvent): { num: number | null; text: string | null } {
  const v = e.value;
  if (e.kind === 'alarm' && typeof v === 'object' && v !== null)
    return { num: v.active ? 1 : 0, text: JSON.stringify(v) };
  if (typeof v === 'number') return { num: v, text: null };
  if (typeof v === 'string') return { num: null, text: v };
  return { num: null, text: null };
}

/**
 * Stores one batch in one transaction: the raw rows (duplicates skipped by the unique index),
 * the hourly rollup of exactly the rows stored, the state intervals they open and close, and the
 * machines' status rows. Returns what was stored and the status steps to publish after commit.
 */
export async function storeBatch(
  db: Db,
  batch: ResolvedEvent[],
  currentStatus: (machine: MachineRef) => MachineStatus,
): Promise<StoredBatch> {
  const input = JSON.stringify(
    batch.map(({ event: e, machine: m }, i) => {
      const { num, text } = columns(e);
      return {
        i,
        t: e.timestamp,
        m: m.id,
        d: m.departmentId,
        k: e.kind,
        n: e.metric,
        vn: num,
        vt: text,
        j: currentStatus(m).jobId,
        s: e.source,
        q: e.sequence,
      };
    }),
  );
  return db.transaction(async (tx) => {
    const inserted = rowsOf<{ i: number }>(
      await tx.execute(sql`
      WITH input AS (
        SELECT * FROM json_to_recordset(${input}::json) AS r(i int, t timestamptz, m uuid, d text, k text, n text,
          vn float8, vt text, j uuid, s text, q bigint)
      ), ins AS (
        INSERT INTO machine_metrics (time, machine_id, department_id, kind, metric, value_num, value_text, job_id, source, sequence)
        SELECT t, m, d, k, n, vn, vt, j, s, q FROM input
        ON CONFLICT DO NOTHING
        RETURNING time, machine_id, metric, value_num, value_text, source, sequence
      ), agg AS (
        SELECT machine_id, metric, date_trunc('hour', time) AS bucket, count(*)::int AS samples,
          count(value_num)::int AS num_samples, sum(value_num) AS sum_num, min(value_num) AS min_num,
          max(value_num) AS max_num, max(time) AS last_time,
          (array_agg(value_num ORDER BY time DESC))[1] AS last_num,
          (array_agg(value_text ORDER BY time DESC))[1] AS last_text
        FROM ins GROUP BY 1, 2, 3
      ), roll AS (
        INSERT INTO machine_metrics_hourly AS h (machine_id, metric, bucket, samples, num_samples, sum_num, min_num,
          max_num, last_time, last_num, last_text)
        SELECT * FROM agg ORDER BY machine_id, metric, bucket
        ON CONFLICT (machine_id, metric, bucket) DO UPDATE SET
          samples = h.samples + excluded.samples,
          num_samples = h.num_samples + excluded.num_samples,
          sum_num = CASE WHEN h.sum_num IS NULL THEN excluded.sum_num ELSE h.sum_num + COALESCE(excluded.sum_num, 0) END,
          min_num = LEAST(h.min_num, excluded.min_num),
          max_num = GREATEST(h.max_num, excluded.max_num),
          last_num = CASE WHEN excluded.last_time >= h.last_time THEN excluded.last_num ELSE h.last_num END,
          last_text = CASE WHEN excluded.last_time >= h.last_time THEN excluded.last_text ELSE h.last_text END,
          last_time = GREATEST(h.last_time, excluded.last_time)
      )
      SELECT input.i FROM input JOIN ins
        ON ins.machine_id = input.m AND ins.metric = input.n AND ins.time = input.t
       AND ins.source = input.s AND ins.sequence = input.q
      ORDER BY input.i`),
    );
    const stored = inserted.map((r) => Number(r.i));

    const perMachine = new Map<string, ResolvedEvent[]>();
    for (const i of stored) {
      const r = batch[i]!;
      const list = perMachine.get(r.machine.id) ?? [];
      if (list.length === 0) perMachine.set(r.machine.id, list);
      list.push(r);
    }
    const steps: StatusStep[] = [];
    const opened: object[] = [];
    const closed: object[] = [];
    for (const list of perMachine.values()) {
      const machine = list[0]!.machine;
      const events = list.map((r) => r.event).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
      const before = currentStatus(machine);
      const step = applyEvents(before, events);
      steps.push(step);
      step.transitions.forEach((tr, k) => {
        if (k === 0) closed.push({ m: machine.id, t: tr.at });
        const next = step.transitions[k + 1];
        opened.push({
          m: machine.id,
          d: machine.departmentId,
          st: tr.state,
          a: tr.at,
          e: next ? next.at : null,
          j: step.status.jobId,
          s: tr.source,
          q: tr.sequence,
        });
      });
    }
    if (closed.length > 0) {
      await tx.execute(sql`
        UPDATE machine_state_events e SET ended_at = c.t
        FROM json_to_recordset(${JSON.stringify(closed)}::json) AS c(m uuid, t timestamptz)
        WHERE e.machine_id = c.m AND e.ended_at IS NULL AND e.started_at <= c.t`);
      await tx.execute(sql`
        INSERT INTO machine_state_events (machine_id, department_id, state, started_at, ended_at, job_id, source, sequence)
        SELECT m, d, st, a, e, j, s, q FROM json_to_recordset(${JSON.stringify(opened)}::json)
          AS r(m uuid, d text, st text, a timestamptz, e timestamptz, j uuid, s text, q bigint)
        ON CONFLICT DO NOTHING`);
    }
    if (steps.length > 0) {
      const statusRows = steps.map(({ status: s }) => ({
        m: s.machineId,
        st: s.state,
        si: s.since ?? s.lastSeen,
        pc: s.partCount,
        p: s.program,
        j: s.jobId,
        al: s.activeAlarms,
        ls: s.lastSeen,
      }));
      await tx.execute(sql`
        INSERT INTO machine_status (machine_id, state, since, part_count, program, job_id, active_alarms, last_seen, updated_at)
        SELECT m, st, si, pc, p, j, al, ls, now() FROM json_to_recordset(${JSON.stringify(statusRows)}::json)
          AS r(m uuid, st text, si timestamptz, pc bigint, p text, j uuid, al jsonb, ls timestamptz)
        ORDER BY m
        ON CONFLICT (machine_id) DO UPDATE SET state = excluded.state, since = excluded.since,
          part_count = excluded.part_count, program = excluded.program, job_id = excluded.job_id,
          active_alarms = excluded.active_alarms, last_seen = excluded.last_seen, updated_at = now()`);
    }
    return { stored, steps };
  });
}
