import type { AnalysisSlot } from '../model.js';

export const CONFLICT_KINDS = [
  'overlap',
  'outside_working_time',
  'precedence',
  'wrong_type',
  'late_job',
  'overloaded_shift',
  'material_short',
  'work_center_down',
] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export type Severity = 'error' | 'warning';

export interface Conflict {
  kind: ConflictKind;
  /** error: the plan cannot be carried out as shown; warning: it can, but something will suffer */
  severity: Severity;
  workCenterId?: string;
  slotIds: string[];
  jobIds: string[];
  jobNumbers: string[];
  /** the time the conflict concerns, ISO 8601 UTC */
  from?: string;
  to?: string;
  explanation: string;
}

/** A conflict over some slots: the jobs are the slots' jobs, each once, in slot order. */
export function conflictOf(
  kind: ConflictKind,
  severity: Severity,
  slots: readonly AnalysisSlot[],
  detail: {
    workCenterId?: string;
    from?: number;
    to?: number;
    explanation: string;
    jobs?: ReadonlyArray<{ id: string; jobNumber: string }>;
  },
): Conflict {
  const jobs = new Map<string, string>();
  for (const j of detail.jobs ?? []) jobs.set(j.id, j.jobNumber);
  for (const s of slots) if (!jobs.has(s.jobId)) jobs.set(s.jobId, s.jobNumber);
  return {
    kind,
    severity,
    ...(detail.workCenterId !== undefined ? { workCenterId: detail.workCenterId } : {}),
    slotIds: [...new Set(slots.map((s) => s.id))],
    jobIds: [...jobs.keys()],
    jobNumbers: [...jobs.values()],
    ...(detail.from !== undefined ? { from: new Date(detail.from).toISOString() } : {}),
    ...(detail.to !== undefined ? { to: new Date(detail.to).toISOString() } : {}),
    explanation: detail.explanation,
  };
}
