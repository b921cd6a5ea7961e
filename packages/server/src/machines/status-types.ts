import type { AlarmValue, MachineState } from '@kerf/connectors';

/** The live status of one machine, as the API, the cache and `machine.status` events carry it. */
export interface MachineStatus {
  machineId: string;
  code: string;
  departmentId: string;
  /** 'offline' with since/lastSeen null when nothing was ever received */
  state: MachineState;
  since: string | null;
  partCount: number | null;
  program: string | null;
  jobId: string | null;
  activeAlarms: AlarmValue[];
  lastSeen: string | null;
  metrics: Record<string, { value: number | string | boolean | null; time: string }>;
}

export type StatusChange = 'state' | 'partCount' | 'program' | 'job' | 'alarms';

export interface MachineStatusEvent {
  type: 'machine.status';
  /** the machine code (MachineEvent.machineId) */
  machineId: string;
  departmentId: string;
  changed: StatusChange[];
  status: MachineStatus;
  /** time of the event that caused the change */
  at: string;
}

export interface MachineAlarmEvent {
  type: 'machine.alarm';
  machineId: string;
  departmentId: string;
  alarm: AlarmValue;
  at: string;
  source: string;
}
