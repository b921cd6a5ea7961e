import type { AlarmValue, MachineState } from '../machine-event.js';

const STOPPED = new Set([
  'INTERRUPTED',
  'FEED_HOLD',
  'STOPPED',
  'PROGRAM_STOPPED',
  'OPTIONAL_STOP',
  'PROGRAM_OPTIONAL_STOP',
]);
const IDLE = new Set(['READY', 'PROGRAM_COMPLETED', 'WAIT']);
const SETUP_MODES = new Set(['MANUAL', 'EDIT', 'MANUAL_DATA_INPUT']);
const SETUP_FUNCTIONAL = new Set(['SETUP', 'TEARDOWN']);

/** What one MTConnect device has told us so far, keyed by DataItem id where a device may have several. */
export class DeviceState {
  readonly executions = new Map<string, string>();
  readonly availabilities = new Map<string, string>();
  readonly controllerModes = new Map<string, string>();
  readonly functionalModes = new Map<string, string>();
  readonly emergencyStops = new Map<string, string>();
  /** condition DataItem id -> alarm code -> the raised alarm */
  readonly conditions = new Map<string, Map<string, AlarmValue>>();
  lastState: MachineState | undefined;

  hasFault(): boolean {
    for (const active of this.conditions.values()) {
      for (const alarm of active.values()) if (alarm.severity === 'fault') return true;
    }
    return false;
  }

  hasActiveAlarm(): boolean {
    for (const active of this.conditions.values()) if (active.size > 0) return true;
    return false;
  }

  /**
   * One Kerf state from all inputs, strongest first: no connection to the machine, then a fault, then
   * executing, then an operator in a manual/edit mode, then a stop that needs action (an alarm stop when a warning is active), then idle.
   * Undefined until the device has reported an execution or an availability.
   */
  derive(): MachineState | undefined {
    const values = (m: Map<string, string>) => [...m.values()];
    const executions = values(this.executions);
    const availability = values(this.availabilities);
    if (executions.length === 0 && availability.length === 0) return undefined;
    if (availability.includes('UNAVAILABLE')) return 'offline';
    if (this.hasFault() || values(this.emergencyStops).includes('TRIGGERED')) return 'alarm';
    if (executions.includes('ACTIVE')) return 'running';
    if (
      values(this.controllerModes).some((m) => SETUP_MODES.has(m)) ||
      values(this.functionalModes).some((m) => SETUP_FUNCTIONAL.has(m))
    ) {
      return 'setup';
    }
    if (executions.some((e) => STOPPED.has(e))) {
      // A program halted while a warning is active was stopped by that warning (light curtain, low gas).
      return this.hasActiveAlarm() ? 'alarm' : 'stopped';
    }
    if (executions.some((e) => IDLE.has(e))) return 'idle';
    // Execution known to the agent but UNAVAILABLE: the adapter cannot see the control.
    if (executions.length > 0) return 'offline';
    return 'idle';
  }
}
