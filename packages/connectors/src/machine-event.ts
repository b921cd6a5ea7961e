/**
 * The one shape every machine protocol is normalized to before Kerf stores or publishes it.
 * Dedupe key: (machineId, source, sequence). A source's sequence must only grow while the
 * source's stream is the same; when a stream restarts (MTConnect instanceId change, Sparkplug
 * rebirth, OPC UA session recreated) the source string carries the new epoch so old and new
 * sequences never collide.
 */
export type MachineEventKind = 'state' | 'count' | 'metric' | 'alarm';

/** Kerf's machine states, the vocabulary OEE and the status board use. */
export type MachineState = 'running' | 'idle' | 'setup' | 'alarm' | 'offline' | 'stopped';

export const MACHINE_STATES: readonly MachineState[] = ['running', 'idle', 'setup', 'alarm', 'offline', 'stopped'];

export type AlarmSeverity = 'fault' | 'warning';

/** value of an `alarm` event: raised (active) or cleared, keyed by the source's alarm code. */
export interface AlarmValue {
  code: string;
  active: boolean;
  severity: AlarmSeverity;
  message: string;
}

export interface MachineEvent {
  /** Kerf machine id (the work center code, e.g. "LAS-01"). */
  machineId: string;
  /** When the machine observed it, ISO 8601 UTC with Z. */
  timestamp: string;
  /** Stream identity, e.g. "mtconnect:1649989202", "opcua:<session epoch>", "mqtt", "spb:<bdSeq epoch>". */
  source: string;
  /** Monotonic within (machineId, source). */
  sequence: number;
  kind: MachineEventKind;
  /**
   * What is measured: for `state` always "state"; for `count` e.g. "part_count"; for `metric`
   * e.g. "spindle_speed", "cycle_time", "program", "controller_mode", "execution", "availability";
   * for `alarm` "alarm".
   */
  metric: string;
  /** state: a MachineState; count: integer; metric: number or text; alarm: AlarmValue. */
  value: MachineState | number | string | AlarmValue | null;
}

export function isMachineState(value: unknown): value is MachineState {
  return typeof value === 'string' && (MACHINE_STATES as readonly string[]).includes(value);
}
