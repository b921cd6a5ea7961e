import type { AlarmSeverity, AlarmValue, MachineEvent, MachineState } from '../machine-event.js';
import { machineryToMachineState } from './machinery-state.js';
import type { MetricRole } from './opcua-mapping.js';

/** One decoded value a server reported for a mapped node. */
export interface NodeReport {
  machineId: string;
  role: MetricRole;
  /** state name for itemState/operationMode, string[] for alarms, number or string for metrics */
  value: string | number | readonly string[];
  /** the server's source timestamp, null when it sent none */
  sourceTimestamp: Date | null;
  receivedAt: Date;
}

interface MachineMemory {
  /** per node key: what was last reported, to drop repeats */
  lastReport: Map<string, { valueKey: string; at: number | null }>;
  itemState: string | null;
  operationMode: string | null;
  emittedState: MachineState | null;
  activeAlarms: Map<string, AlarmValue>;
  source: string | null;
  lastSequence: number;
}

/**
 * Turns node reports into MachineEvents for every machine of one client. It lives as long as the client, across
 * reconnects and new sessions, because that is what keeps it from re-emitting:
 *
 * - a report equal to the last one of that node (same value and same source timestamp) is dropped: node-opcua
 *   delivers every current value again when a subscription is created, and after a reconnect those are the
 *   values already emitted; a value that changed while the client was away has a new timestamp and goes out;
 * - the state is emitted when the state derived from MachineryItemState + MachineryOperationMode changes;
 * - alarms are a set: raises and clears are the difference to the last set seen, so a clear that happened while
 *   disconnected is still emitted, and a still-active alarm is not raised twice.
 *
 * Sequence: source timestamp (ms) * 1000, or the last sequence + 1 when that is not larger (several reports in
 * one ms, or a server clock stepping back), reset when the source (session epoch) changes. It grows strictly
 * within (machineId, source) whatever the server's clock does, and stays close to the machine's time so a
 * reader can see the gap of an outage; the epoch in the source keeps sequences of two sessions (or two client
 * processes) apart.
 */
export class OpcUaEventBuilder {
  private readonly machines = new Map<string, MachineMemory>();

  /**
   * Events for one batch of reports (one publish response), in timestamp order. Reports are applied in source
   * timestamp order; the state is derived after all reports sharing a timestamp, so a server that writes item
   * state and operation mode together is seen in one step, and a short state within one batch is not lost.
   */
  build(reports: readonly NodeReport[], source: string): MachineEvent[] {
    const ordered = reports
      .map((report, i) => ({ report, i, time: report.sourceTimestamp?.getTime() ?? report.receivedAt.getTime() }))
      .sort((a, b) => a.time - b.time || a.i - b.i);
    const events: MachineEvent[] = [];
    const stateTouched = new Map<string, number>();
    const deriveStates = (): void => {
      for (const [machineId, time] of stateTouched) {
        const memory = this.memory(machineId);
        const state = machineryToMachineState(memory.itemState, memory.operationMode);
        if (state === null || state === memory.emittedState) continue;
        memory.emittedState = state;
        events.push(draft(machineId, time, 'state', 'state', state));
      }
      stateTouched.clear();
    };
    let currentTime: number | null = null;
    for (const { report, time } of ordered) {
      if (currentTime !== null && time !== currentTime) deriveStates();
      currentTime = time;
      const memory = this.memory(report.machineId);
      const key = roleKey(report.role);
      const valueKey = JSON.stringify(report.value);
      const at = report.sourceTimestamp?.getTime() ?? null;
      const last = memory.lastReport.get(key);
      // No timestamp: a repeat can only be told by its value.
      if (last && last.valueKey === valueKey && (last.at === at || at === null)) continue;
      memory.lastReport.set(key, { valueKey, at });
      const role = report.role;
      switch (role.role) {
        case 'itemState':
        case 'operationMode':
          if (role.role === 'itemState') memory.itemState = String(report.value);
          else memory.operationMode = String(report.value);
          stateTouched.set(report.machineId, time);
          break;
        case 'alarms':
          events.push(...this.alarmEvents(report.machineId, memory, report.value, time));
          break;
        case 'metric': {
          const value = report.value;
          if (Array.isArray(value)) break;
          events.push(draft(report.machineId, time, role.kind, role.metric, value as number | string));
          break;
        }
      }
    }
    deriveStates();
    for (const event of events) {
      const memory = this.memory(event.machineId);
      if (memory.source !== source) {
        memory.source = source;
        memory.lastSequence = 0;
      }
      memory.lastSequence = Math.max(Date.parse(event.timestamp) * 1000, memory.lastSequence + 1);
      event.source = source;
      event.sequence = memory.lastSequence;
    }
    return events;
  }

  private alarmEvents(
    machineId: string,
    memory: MachineMemory,
    value: NodeReport['value'],
    time: number,
  ): MachineEvent[] {
    const entries = Array.isArray(value) ? (value as readonly string[]) : [];
    const now = new Map<string, AlarmValue>();
    for (const entry of entries) {
      const alarm = parseAlarmEntry(entry);
      if (alarm) now.set(alarm.code, alarm);
    }
    const events: MachineEvent[] = [];
    for (const [code, alarm] of now) {
      const before = memory.activeAlarms.get(code);
      if (!before || before.message !== alarm.message || before.severity !== alarm.severity) {
        events.push(draft(machineId, time, 'alarm', 'alarm', alarm));
      }
    }
    for (const [code, before] of memory.activeAlarms) {
      if (!now.has(code)) events.push(draft(machineId, time, 'alarm', 'alarm', { ...before, active: false }));
    }
    memory.activeAlarms = now;
    return events;
  }

  private memory(machineId: string): MachineMemory {
    let memory = this.machines.get(machineId);
    if (!memory) {
      memory = {
        lastReport: new Map(),
        itemState: null,
        operationMode: null,
        emittedState: null,
        activeAlarms: new Map(),
        source: null,
        lastSequence: 0,
      };
      this.machines.set(machineId, memory);
    }
    return memory;
  }
}

function roleKey(role: MetricRole): string {
  return role.role === 'metric' ? `metric:${role.metric}` : role.role;
}

function draft(
  machineId: string,
  time: number,
  kind: MachineEvent['kind'],
  metric: string,
  value: MachineEvent['value'],
): MachineEvent {
  return { machineId, timestamp: new Date(time).toISOString(), source: '', sequence: 0, kind, metric, value };
}

/**
 * One element of an active-alarms String[]: JSON `{"code": "...", "severity": "fault"|"warning", "message": "..."}`
 * (severity defaults to fault), or a bare code. Elements without a code are ignored.
 */
export function parseAlarmEntry(entry: string): AlarmValue | null {
  const text = entry.trim();
  if (!text) return null;
  if (!text.startsWith('{')) return { code: text, active: true, severity: 'fault', message: '' };
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const code = parsed.code;
    if (typeof code !== 'string' && typeof code !== 'number') return null;
    const severity: AlarmSeverity = parsed.severity === 'warning' ? 'warning' : 'fault';
    const message = typeof parsed.message === 'string' ? parsed.message : '';
    return { code: String(code), active: true, severity, message };
  } catch {
    return null;
  }
}
