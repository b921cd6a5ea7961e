import type { QueueItem } from '@kerf/solver';
import { PRIORITY_WEIGHT } from '../planning/problem-builder.js';
import type { RankEntry } from './queue-ranking.js';
import type { QueueSlotRow, StepStateRow } from './queue-queries.js';

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

/**
 * Turns the queue's rows into ranking entries. Processing time p is this step's setup plus
 * run time stretched by this center's efficiency (as the planner does); remaining work R is
 * the job's open steps' standard minutes (setup + run x quantity) wherever they run, since
 * the other centers' efficiency does not change what is left to do. A step is ready when all
 * its dependencies are complete; it arrived at the queue when the last of them finished
 * (or when its slot was booked, if it has none), which is what FIFO orders by.
 */
export function queueEntries(
  rows: QueueSlotRow[],
  states: ReadonlyMap<string, StepStateRow>,
  remaining: ReadonlyMap<string, number>,
  efficiency: number,
  /** working minutes of this center at an instant (working-clock.ts) */
  workingAt?: (ms: number) => number,
): QueueEntry[] {
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
          status: st.status ?? 'unscheduled',
        });
      } else if (st.actualEndMs !== null) lastUpstream = Math.max(lastUpstream, st.actualEndMs);
    }
    if (Number.isFinite(lastUpstream)) arrival = lastUpstream;
    const processingMinutes =
      row.setupMinutes + (row.runMinutesPerUnit * row.quantity) / (efficiency > 0 ? efficiency : 1);
    const remainingJobMinutes = remaining.get(row.jobId) ?? processingMinutes;
    const dueMs = row.dueDate.getTime();
    const item = queueItem(row.slotId, dueMs / MINUTE, processingMinutes, remainingJobMinutes, row.priority, arrival);
    const entry: QueueEntry = {
      slotId: row.slotId,
      plannedStart: row.plannedStart.getTime(),
      running: row.status === 'in_progress',
      ready: waitingOn.length === 0,
      row,
      processingMinutes,
      remainingJobMinutes,
      waitingOn,
      item,
    };
    // Assigned, not spread in: a conditional spread per entry cost more than the ranking.
    if (workingAt)
      entry.workingItem = queueItem(
        row.slotId,
        workingAt(dueMs),
        processingMinutes,
        remainingJobMinutes,
        row.priority,
        arrival,
      );
    return entry;
  });
}

/** The rule inputs of one entry in minutes; `due` on the wall clock or the working clock. */
function queueItem(
  id: string,
  due: number,
  processingTime: number,
  remainingWork: number,
  priority: number,
  arrivalMs: number,
): QueueItem {
  return {
    id,
    due,
    processingTime,
    remainingWork,
    weight: PRIORITY_WEIGHT[priority] ?? 1,
    arrival: arrivalMs / MINUTE,
  };
}
