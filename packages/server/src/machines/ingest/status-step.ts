import type { MachineEvent, MachineState } from '@kerf/connectors';
import type { MachineAlarmEvent, MachineStatus, StatusChange } from '../status-types.js';
import { isUuid } from '../../platform/uuid.js';

export interface StateTransition {
  state: MachineState;
  at: string;
  source: string;
  sequence: number;
}

export interface StatusStep {
  status: MachineStatus;
  changed: Set<StatusChange>;
  /** state intervals to open, oldest first (each closes the one before) */
  transitions: StateTransition[];
  alarms: MachineAlarmEvent[];
  /** the time of the newest event that changed something */
  at: string;
  /** state events older than the current state's start: kept in the raw history only */
  late: number;
}

/**
 * Applies one machine's newly stored events (sorted by time) to its status. Pure: the caller
 * persists the result and publishes the events only after the batch has committed.
 */
export function applyEvents(current: MachineStatus, events: MachineEvent[]): StatusStep {
  const status: MachineStatus = {
    ...current,
    activeAlarms: [...current.activeAlarms],
    metrics: { ...current.metrics },
  };
  const changed = new Set<StatusChange>();
  const transitions: StateTransition[] = [];
  const alarms: MachineAlarmEvent[] = [];
  let at = current.lastSeen ?? events[0]?.timestamp ?? new Date(0).toISOString();
  let late = 0;
  for (const e of events) {
    const t = new Date(e.timestamp).toISOString();
    if (!status.lastSeen || t > status.lastSeen) status.lastSeen = t;
    switch (e.kind) {
      case 'state': {
        const state = e.value as MachineState;
        if (status.since !== null && t < status.since) {
          late++;
          break;
        }
        // The first state ever received opens an interval even when it repeats the default.
        if (status.since === null || state !== status.state) {
          status.state = state;
          status.since = t;
          transitions.push({ state, at: t, source: e.source, sequence: e.sequence });
          changed.add('state');
          at = t;
        }
        break;
      }
      case 'count':
        if (e.metric === 'part_count' && e.value !== status.partCount) {
          status.partCount = e.value as number;
          changed.add('partCount');
          at = t;
        }
        break;
      case 'alarm': {
        const alarm = e.value as MachineEvent['value'] & { code: string; active: boolean };
        const value = {
          code: alarm.code,
          active: alarm.active,
          severity: (alarm as { severity?: 'fault' | 'warning' }).severity === 'warning' ? 'warning' : 'fault',
          message: String((alarm as { message?: unknown }).message ?? ''),
        } as const;
        const i = status.activeAlarms.findIndex((a) => a.code === value.code);
        if (value.active) {
          if (i >= 0) status.activeAlarms[i] = value;
          else status.activeAlarms.push(value);
        } else if (i >= 0) status.activeAlarms.splice(i, 1);
        changed.add('alarms');
        alarms.push({
          type: 'machine.alarm',
          machineId: status.code,
          departmentId: status.departmentId,
          alarm: value,
          at: t,
          source: e.source,
        });
        at = t;
        break;
      }
      case 'metric':
        if (e.metric === 'program' && typeof e.value === 'string' && e.value !== status.program) {
          status.program = e.value;
          changed.add('program');
          at = t;
        } else if (e.metric === 'job' && (e.value === null || (typeof e.value === 'string' && isUuid(e.value)))) {
          if (e.value !== status.jobId) {
            status.jobId = e.value;
            changed.add('job');
            at = t;
          }
        }
        break;
    }
    if (e.kind !== 'alarm') {
      const prev = status.metrics[e.metric];
      if (!prev || t >= prev.time) status.metrics[e.metric] = { value: e.value as number | string | null, time: t };
    }
  }
  return { status, changed, transitions, alarms, at, late };
}
