import { PRIORITY_WEIGHT } from '../planning/problem-builder.js';
import type { RankEntry } from './queue-ranking.js';
import type { JobStepRow, QueueSlotRow } from './queue-queries.js';

const MINUTE = 60_000;

/** What a waiting operation waits for: an upstream step that is not complete yet. */
export interface WaitingOn {
  routingId: string;
  sequence: number;
  operationCode: string;
  /** where that step is booked, or null when it has no slot */
  workCenterId: string | null;
  status: string;
}

export interface QueueEntry extends RankEntry {
  row: QueueSlotRow;
  processingMinutes: number;
  remainingJobMinutes: number;
  waitingOn: WaitingOn[];
}

interface StepState {
  jobId: string;
  sequence: number;
  operationCode: string;
  totalMinutes: number;
  complete: boolean;
  actualEnd: number | null;
  workCenterId: string | null;
  status: string;
}

/** One state per step: complete if any of its (non-cancelled) slots is complete. */
function stepStates(steps: JobStepRow[]): Map<string, StepState> {
  const out = new Map<string, StepState>();
  for (const s of steps) {
    const prev = out.get(s.routingId);
    const complete = s.slotStatus === 'complete';
    if (prev && (prev.complete || !complete)) continue;
    out.set(s.routingId, {
      jobId: s.jobId,
      sequence: s.sequence,
      operationCode: s.operationCode,
      totalMinutes: Number(s.totalMinutes ?? 0),
      complete,
      actualEnd: s.actualEnd ? s.actualEnd.getTime() : null,
      workCenterId: s.slotWorkCenterId,
      status: s.slotStatus ?? 'unscheduled',
    });
  }
  return out;
}

/**
 * Turns the queue's rows into ranking entries. Processing time p is this step's setup plus
 * run time stretched by this center's efficiency (as the planner does); remaining work R is
 * the job's open steps' standard minutes (setup + run x quantity) wherever they run, since
 * the other centers' efficiency does not change what is left to do. A step is ready when all
 * its dependencies are complete; it arrived at the queue when the last of them finished
 * (or when its slot was booked, if it has none), which is what FIFO orders by.
 */
export function queueEntries(rows: QueueSlotRow[], steps: JobStepRow[], efficiency: number): QueueEntry[] {
  const states = stepStates(steps);
  const remaining = new Map<string, number>();
  for (const st of states.values())
    if (!st.complete) remaining.set(st.jobId, (remaining.get(st.jobId) ?? 0) + st.totalMinutes);
  return rows.map((row) => {
    const waitingOn: WaitingOn[] = [];
    let arrival = row.createdAt.getTime();
    let lastUpstream = -Infinity;
    for (const dep of row.dependencies) {
      const st = states.get(dep);
      if (!st) continue; // a dependency that no longer exists imposes nothing
      if (!st.complete) {
        waitingOn.push({
          routingId: dep,
          sequence: st.sequence,
          operationCode: st.operationCode,
          workCenterId: st.workCenterId,
          status: st.status,
        });
      } else if (st.actualEnd !== null) lastUpstream = Math.max(lastUpstream, st.actualEnd);
    }
    if (Number.isFinite(lastUpstream)) arrival = lastUpstream;
    const processingMinutes =
      row.setupMinutes + (row.runMinutesPerUnit * row.quantity) / (efficiency > 0 ? efficiency : 1);
    const remainingJobMinutes = remaining.get(row.jobId) ?? processingMinutes;
    return {
      slotId: row.slotId,
      plannedStart: row.plannedStart.getTime(),
      running: row.status === 'in_progress',
      ready: waitingOn.length === 0,
      row,
      processingMinutes,
      remainingJobMinutes,
      waitingOn,
      item: {
        id: row.slotId,
        due: row.dueDate.getTime() / MINUTE,
        processingTime: processingMinutes,
        remainingWork: remainingJobMinutes,
        weight: PRIORITY_WEIGHT[row.priority] ?? 1,
        arrival: arrival / MINUTE,
      },
    };
  });
}
