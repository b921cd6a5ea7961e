/**
 * One simulated machine as a state machine over simulated time. Pure and deterministic: the
 * caller advances it with `advanceTo(ms)` (a test steps it, the real-time driver ticks it) and
 * gets back what happened in between, so no timers live in the model.
 */
import type { AlarmValue, MachineState } from '@kerf/connectors';
import { MACHINE_PROFILES, type MachineKind, type MachineProfile, type Range } from './profiles.js';
import { machineSeed, Rng } from './rng.js';

export interface MachineSpec {
  machineId: string;
  /** Kerf department id, e.g. "weld"; the MQTT topic's second segment. */
  department: string;
  kind: MachineKind;
}

/** What the model reports; protocol adapters turn these into MTConnect/OPC UA/MQTT updates. */
export type SimEvent =
  | { at: number; machineId: string; type: 'state'; value: MachineState }
  | { at: number; machineId: string; type: 'part_count'; value: number }
  | { at: number; machineId: string; type: 'cycle_time'; value: number }
  | { at: number; machineId: string; type: 'program'; value: string }
  | { at: number; machineId: string; type: 'alarm'; value: AlarmValue };

/** A finished (or current) stretch of one state, for tests and debugging. */
export interface StatePeriod {
  state: SimState;
  start: number;
  /** Planned end; the actual end equals it (the model never cuts a period short). */
  end: number;
}

export type SimState = Extract<MachineState, 'running' | 'idle' | 'setup' | 'alarm' | 'offline'>;

export interface MachineSnapshot {
  state: SimState;
  partCount: number;
  program: string;
  cycleTime: number;
  alarm: AlarmValue | null;
}

export class MachineModel {
  readonly spec: MachineSpec;
  readonly profile: MachineProfile;
  readonly #rng: Rng;
  #now: number;
  #period: StatePeriod;
  #nextCycleEnd = Number.POSITIVE_INFINITY;
  #cycleStart = 0;
  #partCount: number;
  #program: string;
  #cycleTime = 0;
  #alarm: AlarmValue | null = null;
  readonly #history: StatePeriod[] = [];
  readonly #historyLimit: number;

  constructor(
    spec: MachineSpec,
    options: { seed: number; start: number; profile?: MachineProfile; historyLimit?: number },
  ) {
    this.spec = spec;
    this.profile = options.profile ?? MACHINE_PROFILES[spec.kind];
    this.#rng = new Rng(machineSeed(options.seed, spec.machineId));
    this.#historyLimit = options.historyLimit ?? 1000;
    this.#now = options.start;
    this.#partCount = this.#rng.int(0, 400);
    this.#program = this.#rng.pick(this.profile.programs);
    // Start mid-shift: most machines busy, some waiting.
    const first: SimState = this.#rng.chance(0.7) ? 'running' : 'idle';
    this.#period = { state: first, start: options.start, end: options.start };
    this.#initial = this.#enter(first, options.start);
  }

  readonly #initial: SimEvent[];

  /** Events describing the machine at the start time: state, program, count. Call once, first. */
  initialEvents(): SimEvent[] {
    const { machineId } = this.spec;
    const at = this.#period.start;
    return [
      { at, machineId, type: 'program', value: this.#program },
      { at, machineId, type: 'part_count', value: this.#partCount },
      ...this.#initial,
    ];
  }

  get now(): number {
    return this.#now;
  }

  snapshot(): MachineSnapshot {
    return {
      state: this.#period.state,
      partCount: this.#partCount,
      program: this.#program,
      cycleTime: this.#cycleTime,
      alarm: this.#alarm,
    };
  }

  /** Finished periods, oldest first (capped), followed by nothing: the current one is `currentPeriod`. */
  history(): readonly StatePeriod[] {
    return this.#history;
  }

  currentPeriod(): StatePeriod {
    return { ...this.#period };
  }

  /** Run the model up to `time` (ms), returning what happened, in time order. */
  advanceTo(time: number): SimEvent[] {
    if (time < this.#now) throw new RangeError(`advanceTo(${time}) is before the model time ${this.#now}`);
    const out: SimEvent[] = [];
    for (;;) {
      const next = Math.min(this.#nextCycleEnd, this.#period.end);
      if (next > time) break;
      if (this.#nextCycleEnd <= this.#period.end) this.#finishCycle(next, out);
      else this.#finishPeriod(next, out);
    }
    this.#now = time;
    return out;
  }

  #finishCycle(at: number, out: SimEvent[]): void {
    const { machineId } = this.spec;
    const parts = this.#rng.int(this.profile.partsPerCycle[0], this.profile.partsPerCycle[1]);
    this.#partCount += parts;
    this.#cycleTime = Math.round(at - this.#cycleStart) / 1000;
    out.push({ at, machineId, type: 'part_count', value: this.#partCount });
    out.push({ at, machineId, type: 'cycle_time', value: this.#cycleTime });
    this.#startCycle(at);
  }

  #startCycle(at: number): void {
    this.#cycleStart = at;
    this.#nextCycleEnd = at + this.#sample(this.profile.cycleTime);
  }

  #finishPeriod(at: number, out: SimEvent[]): void {
    const ended = this.#period;
    this.#history.push(ended);
    if (this.#history.length > this.#historyLimit) this.#history.shift();
    const { machineId } = this.spec;
    if (ended.state === 'alarm' && this.#alarm) {
      this.#alarm = { ...this.#alarm, active: false };
      out.push({ at, machineId, type: 'alarm', value: this.#alarm });
      this.#alarm = null;
    }
    const next = this.#nextState(ended.state);
    if (next === 'running' && ended.state === 'setup') {
      const others = this.profile.programs.filter((p) => p !== this.#program);
      this.#program = others.length > 0 ? this.#rng.pick(others) : this.#program;
      out.push({ at, machineId, type: 'program', value: this.#program });
    }
    out.push(...this.#enter(next, at));
  }

  #nextState(from: SimState): SimState {
    const p = this.profile;
    switch (from) {
      case 'running': {
        const roll = this.#rng.next();
        if (roll < p.offlineChance) return 'offline';
        if (roll < p.offlineChance + p.alarmChance) return 'alarm';
        if (roll < p.offlineChance + p.alarmChance + p.setupChance) return 'setup';
        return 'idle';
      }
      case 'idle':
        return this.#rng.chance(p.setupChance) ? 'setup' : 'running';
      case 'setup':
        return 'running';
      case 'alarm':
        return 'idle';
      case 'offline':
        return 'idle';
    }
  }

  #enter(state: SimState, at: number): SimEvent[] {
    const { machineId } = this.spec;
    const duration = this.#sample(this.profile[state]);
    this.#period = { state, start: at, end: at + duration };
    this.#nextCycleEnd = Number.POSITIVE_INFINITY;
    const out: SimEvent[] = [{ at, machineId, type: 'state', value: state }];
    if (state === 'running') this.#startCycle(at);
    if (state === 'alarm') {
      const spec = this.#rng.pick(this.profile.alarms);
      this.#alarm = { code: spec.code, active: true, severity: spec.severity, message: spec.message };
      out.push({ at, machineId, type: 'alarm', value: this.#alarm });
    }
    return out;
  }

  /** Whole milliseconds within [min, max] seconds. */
  #sample(range: Range): number {
    return Math.round(this.#rng.between(range[0], range[1]) * 1000);
  }
}
