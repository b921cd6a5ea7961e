import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MachineModel, type MachineSpec, type SimEvent } from './machine-model.js';
import { MACHINE_KINDS, MACHINE_PROFILES } from './profiles.js';
import { RealtimeDriver } from './realtime-driver.js';
import { ShopModel } from './shop-model.js';

const START = Date.parse('2026-03-02T06:00:00.000Z');
const HOUR = 3_600_000;
const spec = (kind: MachineSpec['kind'], machineId = `${kind.toUpperCase()}-01`): MachineSpec => ({
  machineId,
  department: kind,
  kind,
});

/** Runs a model for `hours`, stepping in irregular chunks, and returns every event. */
function run(model: MachineModel, hours: number, step = 7 * 60_000 + 13): SimEvent[] {
  const events = model.initialEvents();
  for (let t = START + step; t < START + hours * HOUR; t += step) events.push(...model.advanceTo(t));
  return events;
}

describe('MachineModel', () => {
  it.each(MACHINE_KINDS)('%s: state durations stay within the configured bounds', (kind) => {
    const model = new MachineModel(spec(kind), { seed: 11, start: START });
    run(model, 72);
    const profile = MACHINE_PROFILES[kind];
    const periods = model.history();
    expect(periods.length).toBeGreaterThan(20);
    for (const p of periods) {
      const [min, max] = profile[p.state];
      expect(p.end - p.start).toBeGreaterThanOrEqual(min * 1000);
      expect(p.end - p.start).toBeLessThanOrEqual(max * 1000);
    }
    // consecutive periods tile the timeline
    for (let i = 1; i < periods.length; i += 1) expect(periods[i]!.start).toBe(periods[i - 1]!.end);
    // over three days every machine type shows every state except (rarely) offline
    const states = new Set(periods.map((p) => p.state));
    for (const s of ['running', 'idle', 'setup', 'alarm'] as const) expect(states).toContain(s);
  });

  it('part count never decreases and only rises while running', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...MACHINE_KINDS), (seed, kind) => {
        const model = new MachineModel(spec(kind), { seed, start: START });
        const events = run(model, 12);
        let state: string | undefined;
        let count = -1;
        for (const e of events) {
          if (e.type === 'state') state = e.value;
          if (e.type === 'part_count') {
            expect(e.value).toBeGreaterThanOrEqual(count);
            if (count >= 0) expect(state).toBe('running');
            count = e.value;
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('cycle times stay within the profile and events come in time order', () => {
    const model = new MachineModel(spec('laser'), { seed: 5, start: START });
    const events = run(model, 24);
    const cycles = events.filter((e) => e.type === 'cycle_time').map((e) => e.value as number);
    expect(cycles.length).toBeGreaterThan(10);
    const [min, max] = MACHINE_PROFILES.laser.cycleTime;
    for (const c of cycles) {
      expect(c).toBeGreaterThanOrEqual(min);
      expect(c).toBeLessThanOrEqual(max);
    }
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.at).toBeGreaterThanOrEqual(events[i - 1]!.at);
  });

  it('raises an alarm on entering alarm and clears the same code when it ends', () => {
    const model = new MachineModel(spec('punch'), { seed: 3, start: START });
    const alarms = run(model, 72).filter((e) => e.type === 'alarm');
    expect(alarms.length).toBeGreaterThan(1);
    const codes = new Set(MACHINE_PROFILES.punch.alarms.map((a) => a.code));
    for (let i = 0; i + 1 < alarms.length; i += 2) {
      const [raised, cleared] = [alarms[i]!.value, alarms[i + 1]!.value] as [
        { code: string; active: boolean },
        { code: string; active: boolean },
      ];
      expect(raised.active).toBe(true);
      expect(cleared).toMatchObject({ code: raised.code, active: false });
      expect(codes).toContain(raised.code);
    }
  });

  it('same seed gives the same trace regardless of how time is stepped; another seed differs', () => {
    const a = run(new MachineModel(spec('weld'), { seed: 42, start: START }), 24, 60_000);
    const b = run(new MachineModel(spec('weld'), { seed: 42, start: START }), 24, 17 * 60_000 + 1);
    const c = run(new MachineModel(spec('weld'), { seed: 43, start: START }), 24, 60_000);
    const upTo = (events: SimEvent[], t: number): SimEvent[] => events.filter((e) => e.at < t);
    const cut = START + 23 * HOUR;
    expect(upTo(a, cut)).toEqual(upTo(b, cut));
    expect(upTo(a, cut)).not.toEqual(upTo(c, cut));
  });

  it('refuses to go back in time', () => {
    const model = new MachineModel(spec('assembly'), { seed: 1, start: START });
    model.advanceTo(START + HOUR);
    expect(() => model.advanceTo(START)).toThrow(RangeError);
  });
});

describe('ShopModel', () => {
  it('adding a machine does not change the others', () => {
    const one = new ShopModel([spec('laser', 'LASER-01')], { seed: 9, start: START });
    const two = new ShopModel([spec('weld', 'WELD-01'), spec('laser', 'LASER-01')], { seed: 9, start: START });
    const laser = (events: SimEvent[]): SimEvent[] => events.filter((e) => e.machineId === 'LASER-01');
    expect(laser(two.advanceTo(START + 8 * HOUR))).toEqual(laser(one.advanceTo(START + 8 * HOUR)));
  });

  it('rejects duplicate machine ids', () => {
    expect(() => new ShopModel([spec('laser'), spec('laser')], { seed: 1, start: START })).toThrow(/twice/);
  });
});

describe('RealtimeDriver', () => {
  it('maps wall time to simulated time with the speed factor', () => {
    let wall = 1_000;
    const model = new ShopModel([spec('laser')], { seed: 2, start: START });
    const seen: SimEvent[] = [];
    const driver = new RealtimeDriver(model, { speed: 3600, now: () => wall, onEvents: (e) => seen.push(...e) });
    driver.start();
    try {
      wall += 1_000; // one real second = one simulated hour
      driver.tick();
      expect(model.now).toBe(START + HOUR);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((e) => e.at <= START + HOUR)).toBe(true);
    } finally {
      driver.stop();
    }
    expect(driver.running).toBe(false);
    expect(() => new RealtimeDriver(model, { speed: 0, onEvents: () => undefined })).toThrow(/speed/);
  });
});
