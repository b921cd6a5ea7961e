import type { AlarmValue, MachineEvent, MachineEventKind, MachineState } from '../machine-event.js';
import { DeviceState } from './device-state.js';
import { normalizeTimestamp } from './timestamp.js';
import type { MTConnectDevice, MTConnectObservation, MTConnectStreamsDocument } from './types.js';

/**
 * Several Kerf events can come from one MTConnect observation (the raw value, alarms cleared by one
 * Normal, the derived state). Kerf dedupes on (machineId, source, sequence), so each gets its own
 * slot: sequence = mtconnectSequence * SEQUENCE_SLOTS + slot. Slot 0.. for the observation's own
 * events, the last slot for the derived state. Still monotonic, and Math.floor(sequence / 64)
 * gives the agent's sequence back.
 */
export const SEQUENCE_SLOTS = 64;
const STATE_SLOT = SEQUENCE_SLOTS - 1;

export interface MTConnectMappingOptions {
  /** Device name or uuid -> Kerf machineId (work center code). Default: the device name. */
  machines?: Record<string, string>;
  /** Drop devices missing from `machines` instead of using their name. */
  onlyMappedDevices?: boolean;
  /** What an unmapped device's machineId is: its name (default) or its uuid (falls back to the name). */
  defaultMachineId?: 'name' | 'uuid';
  /** DataItem id or name -> Kerf metric name, for samples/events beyond the built-in vocabulary. */
  metrics?: Record<string, string>;
  /** The 2.x `Agent` device describes the agent, not a machine; skipped unless this is true. */
  includeAgentDevice?: boolean;
}

/** Built-in names for numeric samples; a second DataItem of the same type gets a name-qualified metric. */
const SAMPLE_METRICS: Record<string, { metric: string; subTypes: (string | undefined)[] }> = {
  ROTARY_VELOCITY: { metric: 'spindle_speed', subTypes: [undefined, 'ACTUAL'] },
  SPINDLE_SPEED: { metric: 'spindle_speed', subTypes: [undefined, 'ACTUAL'] },
  PATH_FEEDRATE: { metric: 'feedrate', subTypes: [undefined, 'ACTUAL'] },
  PROCESS_TIMER: { metric: 'cycle_time', subTypes: [undefined, 'PROCESS'] },
};

const PART_COUNT_METRICS: Record<string, string> = {
  ALL: 'part_count',
  COMPLETE: 'part_count',
  GOOD: 'good_count',
  BAD: 'bad_count',
  TARGET: 'target_count',
  REMAINING: 'remaining_count',
  FAILED: 'failed_count',
  ABORTED: 'aborted_count',
};

function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

interface Emitted {
  kind: MachineEventKind;
  metric: string;
  value: MachineEvent['value'];
}

/**
 * Turns MTConnect Streams documents into Kerf MachineEvents and keeps, per device, what is needed to
 * derive one combined Kerf state. Feed /current answers to `current()` and /sample answers to
 * `sample()`; observations at or below the highest sequence already applied are ignored, so
 * overlapping requests never produce an event twice.
 */
export class MTConnectMapper {
  private instanceId: string | undefined;
  private highWater = 0;
  private readonly devices = new Map<string, DeviceState>();
  private readonly agentDevices = new Set<string>();
  /** device name -> dataItem id -> metric name (or null: not a metric) */
  private readonly metricNames = new Map<string, Map<string, string | null>>();
  private readonly probed = new Map<string, MTConnectDevice>();

  constructor(private readonly options: MTConnectMappingOptions = {}) {}

  get source(): string {
    return `mtconnect:${this.instanceId ?? ''}`;
  }

  /** Highest agent sequence applied in the current instance. */
  get lastSequence(): number {
    return this.highWater;
  }

  /** Device model from /probe: fixes metric names in probe order and recognises the Agent device. */
  setDevices(devices: MTConnectDevice[]): void {
    this.probed.clear();
    this.metricNames.clear();
    this.agentDevices.clear();
    for (const device of devices) {
      this.probed.set(device.name, device);
      if (device.isAgent) this.agentDevices.add(device.name);
      for (const item of device.dataItems) this.metricName(device.name, item);
    }
  }

  /** Forget everything learned from the agent's current instance (it restarted: sequences start over). */
  reset(): void {
    this.instanceId = undefined;
    this.highWater = 0;
    this.devices.clear();
  }

  machineIdOf(deviceName: string, deviceUuid?: string): string | undefined {
    const map = this.options.machines ?? {};
    const mapped = map[deviceName] ?? (deviceUuid === undefined ? undefined : map[deviceUuid]);
    if (mapped !== undefined) return mapped;
    if (this.options.onlyMappedDevices) return undefined;
    if (!this.options.includeAgentDevice && this.isAgentDevice(deviceName, deviceUuid)) return undefined;
    return this.options.defaultMachineId === 'uuid' ? (deviceUuid ?? deviceName) : deviceName;
  }

  stateOf(deviceName: string): DeviceState | undefined {
    return this.devices.get(deviceName);
  }

  /**
   * Apply a /sample answer: every observation is a change, in sequence order. Observations of one
   * device with the same timestamp are one change (an adapter line `execution|READY|mode|MANUAL`),
   * so the state is derived after the last of them: no zero-length state in between.
   */
  sample(doc: MTConnectStreamsDocument): MachineEvent[] {
    this.enterInstance(doc.header.instanceId);
    const out: MachineEvent[] = [];
    const fallback = this.fallbackTime(doc);
    const observations = doc.observations;
    const lastOfInstant = lastOfSameInstant(observations);
    for (const [index, obs] of observations.entries()) {
      if (obs.sequence <= this.highWater) continue;
      const machineId = this.machineIdOf(obs.deviceName, obs.deviceUuid);
      if (machineId !== undefined) {
        const device = this.device(obs.deviceName);
        const time = obs.timestamp ?? fallback;
        const emitted = obs.category === 'CONDITION' ? this.applyCondition(device, obs) : this.applyValue(device, obs);
        emitted.forEach((e, i) => out.push(this.event(machineId, obs.sequence * SEQUENCE_SLOTS + i, time, e)));
        const state = lastOfInstant[index] ? device.derive() : undefined;
        if (state !== undefined && state !== device.lastState) {
          device.lastState = state;
          out.push(this.event(machineId, obs.sequence * SEQUENCE_SLOTS + STATE_SLOT, time, stateEvent(state)));
        }
      }
      this.highWater = obs.sequence;
    }
    return out;
  }

  /**
   * Apply a /current answer: a snapshot of the latest value of every DataItem. Only observations newer
   * than what was applied count; a condition in the snapshot replaces its whole active list (codes
   * that are gone are cleared), and the state is derived once from the whole snapshot, so no
   * intermediate state is invented for the gap a re-sync skipped over.
   */
  current(doc: MTConnectStreamsDocument): MachineEvent[] {
    this.enterInstance(doc.header.instanceId);
    const out: MachineEvent[] = [];
    const fallback = this.fallbackTime(doc);
    const fresh = doc.observations.filter((o) => o.sequence > this.highWater);
    const byDevice = new Map<string, MTConnectObservation[]>();
    for (const obs of fresh) {
      const list = byDevice.get(obs.deviceName) ?? [];
      list.push(obs);
      byDevice.set(obs.deviceName, list);
    }
    for (const [deviceName, observations] of byDevice) {
      const first = observations[0]!;
      const machineId = this.machineIdOf(deviceName, first.deviceUuid);
      if (machineId === undefined) continue;
      const device = this.device(deviceName);
      const conditionGroups = new Map<string, MTConnectObservation[]>();
      let latest: MTConnectObservation | undefined;
      for (const obs of observations) {
        if (obs.category === 'CONDITION') {
          const group = conditionGroups.get(obs.dataItemId) ?? [];
          group.push(obs);
          conditionGroups.set(obs.dataItemId, group);
          continue;
        }
        const emitted = this.applyValue(device, obs);
        const time = obs.timestamp ?? fallback;
        emitted.forEach((e, i) => out.push(this.event(machineId, obs.sequence * SEQUENCE_SLOTS + i, time, e)));
        if (isStateInput(obs) && (latest === undefined || obs.sequence > latest.sequence)) latest = obs;
      }
      for (const [dataItemId, group] of conditionGroups) {
        const emitted = this.replaceConditions(device, dataItemId, group);
        const last = group[group.length - 1]!;
        const time = last.timestamp ?? fallback;
        emitted.forEach((e, i) => out.push(this.event(machineId, last.sequence * SEQUENCE_SLOTS + i, time, e)));
        if (latest === undefined || last.sequence > latest.sequence) latest = last;
      }
      const state = device.derive();
      if (state !== undefined && state !== device.lastState) {
        device.lastState = state;
        const anchor = latest ?? observations[observations.length - 1]!;
        const time = anchor.timestamp ?? fallback;
        out.push(this.event(machineId, anchor.sequence * SEQUENCE_SLOTS + STATE_SLOT, time, stateEvent(state)));
      }
    }
    const top = fresh[fresh.length - 1];
    if (top !== undefined) this.highWater = top.sequence;
    out.sort((a, b) => a.sequence - b.sequence);
    return out;
  }

  private enterInstance(instanceId: string): void {
    if (this.instanceId !== undefined && this.instanceId !== instanceId) this.reset();
    this.instanceId = instanceId;
  }

  private fallbackTime(doc: MTConnectStreamsDocument): string {
    return normalizeTimestamp(doc.header.creationTime) ?? new Date().toISOString();
  }

  private isAgentDevice(name: string, uuid?: string): boolean {
    if (this.agentDevices.has(name)) return true;
    // Without a probe, cppagent 2.x names its own device "Agent".
    return this.probed.size === 0 && name === 'Agent' && uuid !== undefined;
  }

  private device(name: string): DeviceState {
    let device = this.devices.get(name);
    if (device === undefined) {
      device = new DeviceState();
      this.devices.set(name, device);
    }
    return device;
  }

  private event(machineId: string, sequence: number, timestamp: string, e: Emitted): MachineEvent {
    return { machineId, timestamp, source: this.source, sequence, kind: e.kind, metric: e.metric, value: e.value };
  }

  private applyValue(device: DeviceState, obs: MTConnectObservation): Emitted[] {
    const value = obs.value;
    const unavailable = value === 'UNAVAILABLE';
    const configured = this.configuredMetric(obs);
    switch (obs.type) {
      case 'EXECUTION':
        device.executions.set(obs.dataItemId, value);
        return [{ kind: 'metric', metric: configured ?? 'execution', value }];
      case 'AVAILABILITY':
        device.availabilities.set(obs.dataItemId, value);
        return [{ kind: 'metric', metric: configured ?? 'availability', value }];
      case 'CONTROLLER_MODE':
        device.controllerModes.set(obs.dataItemId, value);
        return [{ kind: 'metric', metric: configured ?? 'controller_mode', value }];
      case 'FUNCTIONAL_MODE':
        device.functionalModes.set(obs.dataItemId, value);
        return [{ kind: 'metric', metric: configured ?? 'functional_mode', value }];
      case 'EMERGENCY_STOP':
        device.emergencyStops.set(obs.dataItemId, value);
        return [{ kind: 'metric', metric: configured ?? 'emergency_stop', value }];
      case 'PART_COUNT': {
        const metric = configured ?? PART_COUNT_METRICS[obs.subType ?? 'ALL'];
        if (metric === undefined || !/^\d+$/.test(value)) return [];
        return [{ kind: 'count', metric, value: Number(value) }];
      }
      case 'PROGRAM': {
        const metric = configured ?? (obs.subType === undefined || obs.subType === 'MAIN' ? 'program' : undefined);
        if (metric === undefined || unavailable) return [];
        return [{ kind: 'metric', metric, value }];
      }
      default:
        break;
    }
    if (unavailable) return [];
    const metric = this.metricName(obs.deviceName, obs);
    if (metric === null) return [];
    if (obs.category === 'SAMPLE') {
      const number = Number(value);
      if (value === '' || !Number.isFinite(number)) return [];
      return [{ kind: 'metric', metric, value: number }];
    }
    return [{ kind: 'metric', metric, value }];
  }

  private configuredMetric(item: { dataItemId?: string; id?: string; name?: string }): string | undefined {
    const map = this.options.metrics;
    if (map === undefined) return undefined;
    const id = item.dataItemId ?? item.id;
    return (id === undefined ? undefined : map[id]) ?? (item.name === undefined ? undefined : map[item.name]);
  }

  /** Metric name for a DataItem that is not part of the state vocabulary; null when it is not reported. */
  private metricName(
    deviceName: string,
    item: { id?: string; dataItemId?: string; name?: string; type: string; subType?: string; category: string },
  ): string | null {
    const id = item.dataItemId ?? item.id ?? '';
    let names = this.metricNames.get(deviceName);
    if (names === undefined) {
      names = new Map();
      this.metricNames.set(deviceName, names);
    }
    const known = names.get(id);
    if (known !== undefined) return known;
    let metric: string | null = this.configuredMetric(item) ?? null;
    if (metric === null && item.category === 'SAMPLE') {
      const known = SAMPLE_METRICS[item.type];
      const builtIn = known?.subTypes.includes(item.subType) ? known.metric : undefined;
      const taken = builtIn !== undefined && [...names.values()].includes(builtIn);
      metric = builtIn !== undefined && !taken ? builtIn : snake(item.name ?? id) || null;
    }
    names.set(id, metric);
    return metric;
  }

  /** /sample semantics: each condition observation changes the active list of its DataItem. */
  private applyCondition(device: DeviceState, obs: MTConnectObservation): Emitted[] {
    let active = device.conditions.get(obs.dataItemId);
    if (active === undefined) {
      active = new Map();
      device.conditions.set(obs.dataItemId, active);
    }
    const out: Emitted[] = [];
    if (obs.level === 'WARNING' || obs.level === 'FAULT') {
      const alarm = alarmOf(obs);
      const before = active.get(alarm.code);
      active.set(alarm.code, alarm);
      if (before === undefined || before.severity !== alarm.severity || before.message !== alarm.message) {
        out.push({ kind: 'alarm', metric: 'alarm', value: alarm });
      }
      return out;
    }
    // Normal with a nativeCode clears that code; Normal without one, or Unavailable, clears them all.
    const codes = obs.level === 'NORMAL' && obs.nativeCode !== undefined ? [obs.nativeCode] : [...active.keys()].sort();
    for (const code of codes) {
      const alarm = active.get(code);
      if (alarm === undefined) continue;
      active.delete(code);
      out.push({ kind: 'alarm', metric: 'alarm', value: { ...alarm, active: false } });
    }
    return out.slice(0, STATE_SLOT);
  }

  /** /current semantics: the group is the whole active list of one condition DataItem. */
  private replaceConditions(device: DeviceState, dataItemId: string, group: MTConnectObservation[]): Emitted[] {
    const active = device.conditions.get(dataItemId) ?? new Map<string, AlarmValue>();
    device.conditions.set(dataItemId, active);
    const next = new Map<string, AlarmValue>();
    for (const obs of group) {
      if (obs.level === 'WARNING' || obs.level === 'FAULT') {
        const alarm = alarmOf(obs);
        next.set(alarm.code, alarm);
      }
    }
    const out: Emitted[] = [];
    for (const code of [...active.keys()].sort()) {
      if (next.has(code)) continue;
      out.push({ kind: 'alarm', metric: 'alarm', value: { ...active.get(code)!, active: false } });
      active.delete(code);
    }
    for (const [code, alarm] of next) {
      const before = active.get(code);
      if (before === undefined || before.severity !== alarm.severity || before.message !== alarm.message) {
        out.push({ kind: 'alarm', metric: 'alarm', value: alarm });
      }
      active.set(code, alarm);
    }
    return out.slice(0, STATE_SLOT);
  }
}

/**
 * For each observation: is it the last one of its device within its run of equal timestamps? Runs are
 * contiguous in sequence order; observations without a time are each their own instant.
 */
function lastOfSameInstant(observations: MTConnectObservation[]): boolean[] {
  const out = new Array<boolean>(observations.length);
  let runTime: string | null | undefined;
  let seen = new Set<string>();
  for (let i = observations.length - 1; i >= 0; i--) {
    const obs = observations[i]!;
    if (obs.timestamp === null || obs.timestamp !== runTime) {
      runTime = obs.timestamp;
      seen = new Set();
    }
    out[i] = !seen.has(obs.deviceName);
    seen.add(obs.deviceName);
  }
  return out;
}

function alarmOf(obs: MTConnectObservation): AlarmValue {
  const code = obs.nativeCode ?? obs.dataItemId;
  return {
    code,
    active: true,
    severity: obs.level === 'FAULT' ? 'fault' : 'warning',
    message: obs.value || `${obs.type || 'condition'} ${obs.level === 'FAULT' ? 'fault' : 'warning'} ${code}`,
  };
}

function stateEvent(state: MachineState): Emitted {
  return { kind: 'state', metric: 'state', value: state };
}

function isStateInput(obs: MTConnectObservation): boolean {
  return ['EXECUTION', 'AVAILABILITY', 'CONTROLLER_MODE', 'FUNCTIONAL_MODE', 'EMERGENCY_STOP'].includes(obs.type);
}
