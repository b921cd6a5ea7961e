import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MTConnectClient,
  SEQUENCE_SLOTS,
  type MachineEvent,
  type MTConnectClientOptions,
  type MTConnectClientStatus,
} from '@kerf/connectors';
import { afterEach, describe, expect, it } from 'vitest';
import { MTConnectAgent } from './agent.js';
import { devicesFromProbe } from './device-model.js';
import { replayShdr } from './shdr-replayer.js';

const FIXTURES = fileURLToPath(new URL('../../../connectors/test-data/mtconnect', import.meta.url));

/** A client plus everything it reported, and helpers to wait for it. */
class Harness {
  readonly events: MachineEvent[] = [];
  readonly statuses: MTConnectClientStatus[] = [];
  readonly client: MTConnectClient;

  constructor(options: Omit<MTConnectClientOptions, 'onEvents' | 'onStatus'>) {
    this.client = new MTConnectClient({
      ...options,
      onEvents: (events) => {
        this.events.push(...events);
      },
      onStatus: (status) => {
        this.statuses.push(status);
      },
    });
    this.client.start();
  }

  async until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) {
        const kinds = this.statuses.map((s) => s.kind).join(', ');
        throw new Error(`timed out waiting for ${what}; statuses: ${kinds}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  status<K extends MTConnectClientStatus['kind']>(kind: K): Extract<MTConnectClientStatus, { kind: K }>[] {
    return this.statuses.filter((s): s is Extract<MTConnectClientStatus, { kind: K }> => s.kind === kind);
  }

  of(metric: string, source?: string): MachineEvent[] {
    return this.events.filter((e) => e.metric === metric && (source === undefined || e.source === source));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function agentWith(options: ConstructorParameters<typeof MTConnectAgent>[0]): Promise<MTConnectAgent> {
  const agent = new MTConnectAgent(options);
  await agent.start();
  cleanups.push(() => agent.stop());
  return agent;
}

function harness(options: Omit<MTConnectClientOptions, 'onEvents' | 'onStatus'>): Harness {
  const h = new Harness(options);
  cleanups.push(() => h.client.stop());
  return h;
}

/** Within one source: strictly increasing sequences, so nothing is duplicated and the order is the agent's. */
function expectOrderedUnique(events: MachineEvent[]): void {
  const bySource = new Map<string, number>();
  for (const e of events) {
    const key = `${e.machineId}|${e.source}`;
    const last = bySource.get(key) ?? -1;
    expect(e.sequence, `${key} ${e.metric}`).toBeGreaterThan(last);
    bySource.set(key, e.sequence);
  }
}

const LASER = { name: 'LAS-01', uuid: 'kerf-las-01', machineId: 'LAS-01' };

describe('MTConnectClient against the simulator agent', () => {
  it.each(['mixed', 'x-mixed-replace'] as const)(
    'streams multipart/%s: states, counts, program, spindle speed and alarms in order',
    async (multipart) => {
      const agent = await agentWith({ devices: [LASER], multipart });
      agent.observe('LAS-01', 'availability', 'AVAILABLE');
      agent.observe('LAS-01', 'controller_mode', 'AUTOMATIC');
      agent.observe('LAS-01', 'execution', 'READY');
      const h = harness({ url: agent.url, interval: 20, heartbeat: 500 });
      await h.until('streaming', () => h.status('streaming').length > 0);
      expect(h.of('state').map((e) => e.value)).toEqual(['idle']);

      // one second apart: observations at the same instant would count as one change
      let second = 0;
      const t = () => new Date(Date.UTC(2024, 4, 1, 8, 0, ++second));
      agent.observe('LAS-01', 'program', 'O1234', t());
      agent.observe('LAS-01', 'execution', 'ACTIVE', t());
      agent.observe('LAS-01', 'spindle_speed', 1200.5, t());
      agent.observe('LAS-01', 'cycle_time', 42.25, t());
      agent.observe('LAS-01', 'feedrate', 80, t());
      agent.observe('LAS-01', 'part_count', 1, t());
      agent.raiseCondition('LAS-01', 'E42', 'fault', 'Nozzle collision', 'system', t());
      agent.raiseCondition('LAS-01', 'W7', 'warning', 'Gas low', 'system', t());
      agent.clearCondition('LAS-01', 'E42', 'system', t());
      agent.observe('LAS-01', 'execution', 'FEED_HOLD', t());
      agent.observe('LAS-01', 'controller_mode', 'MANUAL', t());
      agent.clearCondition('LAS-01', undefined, 'system', t());
      // same instant: one change, so no 'idle' between 'setup' and 'offline'
      const last = t();
      agent.observe('LAS-01', 'execution', 'READY', last);
      agent.observe('LAS-01', 'availability', 'UNAVAILABLE', last);
      await h.until('all observations', () => h.client.nextSequence === agent.nextSequence);

      const source = `mtconnect:${agent.instanceId}`;
      expect(h.events.every((e) => e.machineId === 'LAS-01' && e.source === source)).toBe(true);
      expect(h.of('state').map((e) => e.value)).toEqual([
        'idle',
        'running',
        'alarm',
        'running',
        'alarm', // FEED_HOLD while the W7 warning is still active: an alarm stop
        'setup',
        'offline',
      ]);
      expect(h.of('part_count').map((e) => [e.kind, e.value])).toEqual([['count', 1]]);
      expect(h.of('program').map((e) => e.value)).toEqual(['O1234']);
      expect(h.of('spindle_speed').map((e) => e.value)).toEqual([1200.5]);
      expect(h.of('cycle_time').map((e) => e.value)).toEqual([42.25]);
      expect(h.of('feedrate').map((e) => e.value)).toEqual([80]);
      expect(h.of('alarm').map((e) => e.value)).toEqual([
        { code: 'E42', active: true, severity: 'fault', message: 'Nozzle collision' },
        { code: 'W7', active: true, severity: 'warning', message: 'Gas low' },
        { code: 'E42', active: false, severity: 'fault', message: 'Nozzle collision' },
        { code: 'W7', active: false, severity: 'warning', message: 'Gas low' },
      ]);
      expectOrderedUnique(h.events);
      for (const e of h.events) expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    },
  );

  it('replays the OKUMA SHDR log through the agent: every observation arrives once, in sequence order', async () => {
    const devices = devicesFromProbe(readFileSync(`${FIXTURES}/devices_2.7ns_demo_okuma_mazak.xml`, 'utf8'));
    const agent = await agentWith({ devices, bufferSize: 32_768 });
    const h = harness({
      url: agent.url,
      device: 'OKUMA',
      machines: { OKUMA: 'LAT-01' },
      interval: 10,
      heartbeat: 1000,
      count: 500,
    });
    await h.until('streaming', () => h.status('streaming').length > 0);
    const start = agent.nextSequence;
    const shdr = readFileSync(`${FIXTURES}/shdr/okuma_imts2022_adapter.shdr.txt`, 'utf8');
    const replay = await replayShdr(agent, shdr, { device: 'OKUMA' });
    await h.until('the whole log', () => h.client.nextSequence === agent.nextSequence, 25_000);

    expect(replay.observations.length).toBeGreaterThan(10_000);
    expect(replay.assets).toBe(118);
    expect(h.status('gap')).toEqual([]);
    expectOrderedUnique(h.events);
    const fromReplay = h.events.filter((e) => Math.floor(e.sequence / SEQUENCE_SLOTS) >= start);
    const agentSeqs = new Set(replay.observations.map((o) => o.sequence));
    for (const e of fromReplay) expect(agentSeqs.has(Math.floor(e.sequence / SEQUENCE_SLOTS))).toBe(true);
    const ofType = (type: string) => replay.observations.filter((o) => o.type === type);
    // every Execution and PartCount observation becomes exactly one event
    expect(fromReplay.filter((e) => e.metric === 'execution').map((e) => e.value)).toEqual(
      ofType('EXECUTION').map((o) => o.value),
    );
    expect(fromReplay.filter((e) => e.metric === 'part_count').map((e) => e.value)).toEqual(
      ofType('PART_COUNT').map((o) => Number(o.value)),
    );
    expect(ofType('PART_COUNT').map((o) => o.value)).toContain('3');
    // every numeric sample becomes one metric event
    const numericSamples = replay.observations.filter(
      (o) => o.category === 'SAMPLE' && o.value !== '' && Number.isFinite(Number(o.value)),
    );
    const sampleEvents = fromReplay.filter((e) => e.kind === 'metric' && typeof e.value === 'number');
    expect(sampleEvents.length).toBe(numericSamples.length);
    // the log's cycles: READY -> ACTIVE -> PROGRAM_COMPLETED -> READY  => idle/running/idle
    const states = fromReplay.filter((e) => e.kind === 'state').map((e) => e.value);
    expect(states).toContain('running');
    expect(states.filter((s) => s === 'running').length).toBe(
      ofType('EXECUTION').filter((o) => o.value === 'ACTIVE').length,
    );
    expect(h.events.every((e) => e.machineId === 'LAT-01')).toBe(true);
  }, 40_000);

  it('agent restarted mid-stream: re-probes, re-syncs from /current under the new instanceId', async () => {
    const agent = await agentWith({ devices: [LASER] });
    agent.observe('LAS-01', 'availability', 'AVAILABLE');
    agent.observe('LAS-01', 'execution', 'ACTIVE');
    agent.observe('LAS-01', 'part_count', 5);
    const h = harness({ url: agent.url, interval: 20, heartbeat: 300, reconnectDelay: 50 });
    await h.until('streaming', () => h.status('streaming').length > 0);
    const first = `mtconnect:${agent.instanceId}`;

    await agent.stop();
    const port = Number(new URL(agent.url).port);
    const restarted = new MTConnectAgent({ devices: [LASER], port });
    // the restarted agent has the same machine, now idle with a new count
    restarted.observe('LAS-01', 'availability', 'AVAILABLE');
    restarted.observe('LAS-01', 'execution', 'READY');
    restarted.observe('LAS-01', 'part_count', 6);
    await restarted.start();
    cleanups.push(() => restarted.stop());
    const second = `mtconnect:${restarted.instanceId}`;
    expect(second).not.toBe(first);
    await h.until('re-sync', () => h.of('state', second).length > 0);
    restarted.observe('LAS-01', 'execution', 'ACTIVE');
    await h.until('new data', () => h.of('state', second).length > 1);

    expect(h.of('state', first).map((e) => e.value)).toEqual(['running']);
    expect(h.of('state', second).map((e) => e.value)).toEqual(['idle', 'running']);
    expect(h.of('part_count', second).map((e) => e.value)).toEqual([6]);
    expect(h.status('instance-changed')).toEqual([
      { kind: 'instance-changed', previous: String(agent.instanceId), current: String(restarted.instanceId) },
    ]);
    expectOrderedUnique(h.events);
  });

  it('same agent object restarted (stop/start): same port, new instanceId, sequences from 1, client follows', async () => {
    const agent = await agentWith({ devices: [LASER] });
    agent.observe('LAS-01', 'availability', 'AVAILABLE');
    agent.observe('LAS-01', 'execution', 'ACTIVE');
    const h = harness({ url: agent.url, interval: 20, heartbeat: 300, reconnectDelay: 50 });
    await h.until('streaming', () => h.status('streaming').length > 0);
    const before = agent.instanceId;
    const url = agent.url;
    await agent.stop();
    await agent.start();
    expect(agent.url).toBe(url);
    expect(agent.instanceId).toBeGreaterThan(before);
    expect(agent.firstSequence).toBe(1);
    const source = `mtconnect:${agent.instanceId}`;
    // the restarted agent still knows the latest values (as after adapters re-sent them)
    await h.until('re-sync', () => h.of('state', source).length > 0);
    expect(h.of('state', source).map((e) => e.value)).toEqual(['running']);
    agent.observe('LAS-01', 'execution', 'STOPPED');
    await h.until('stopped', () => h.of('state', source).length > 1);
    expect(h.of('state', source).map((e) => e.value)).toEqual(['running', 'stopped']);
    expect(h.client.instanceId).toBe(String(agent.instanceId));
    expectOrderedUnique(h.events);
  });

  it.each(['stream', 'poll'] as const)(
    '%s: client behind a small buffer gets OUT_OF_RANGE, reports the gap, re-syncs from /current, invents nothing',
    async (mode) => {
      const agent = await agentWith({ devices: [LASER], bufferSize: 32 });
      agent.observe('LAS-01', 'availability', 'AVAILABLE');
      agent.observe('LAS-01', 'execution', 'READY');
      const h = harness({ url: agent.url, mode, interval: 5, heartbeat: 1000, count: 8, pollInterval: 100 });
      await h.until('following', () => h.status(mode === 'stream' ? 'streaming' : 'polling').length > 0);
      const before = h.client.nextSequence;
      // a burst larger than the buffer between two reads: the client's `from` falls out of it
      const written = new Map<number, number>();
      for (let i = 1; i <= 200; i++) written.set(agent.observe('LAS-01', 'part_count', i)!, i);
      agent.observe('LAS-01', 'execution', 'ACTIVE');
      await h.until('re-synced', () => h.client.nextSequence === agent.nextSequence && h.of('state').length === 2);

      const gaps = h.status('gap');
      expect(gaps.length).toBe(1);
      expect(gaps[0]).toMatchObject({ from: before, to: agent.lastSequence, reason: 'OUT_OF_RANGE' });
      const counts = h.of('part_count');
      expect(counts.length).toBeLessThan(200);
      expect(counts[counts.length - 1]!.value).toBe(200);
      // nothing invented: each count event is exactly what the agent stored at that sequence
      for (const e of counts) expect(e.value).toBe(written.get(Math.floor(e.sequence / SEQUENCE_SLOTS)));
      expect(h.of('state').map((e) => e.value)).toEqual(['idle', 'running']);
      expectOrderedUnique(h.events);
    },
  );

  it('heartbeat timeout: a hung agent is detected, the client reconnects with backoff and resumes losslessly', async () => {
    const agent = await agentWith({ devices: [LASER] });
    agent.observe('LAS-01', 'availability', 'AVAILABLE');
    agent.observe('LAS-01', 'execution', 'READY');
    const h = harness({
      url: agent.url,
      interval: 10,
      heartbeat: 100,
      heartbeatTimeout: 300,
      requestTimeout: 300,
      reconnectDelay: 50,
      maxReconnectDelay: 200,
    });
    await h.until('streaming', () => h.status('streaming').length > 0);
    // heartbeats keep a quiet stream alive
    await new Promise((r) => setTimeout(r, 400));
    expect(h.status('disconnected')).toEqual([]);

    agent.stall();
    agent.observe('LAS-01', 'execution', 'ACTIVE');
    for (let i = 1; i <= 5; i++) agent.observe('LAS-01', 'part_count', i);
    await h.until('two failed attempts', () => h.status('disconnected').length >= 3, 5000);
    const disconnected = h.status('disconnected');
    expect(disconnected[0]!.error).toMatch(/no data from .* for 300 ms/);
    expect(disconnected.map((d) => d.retryInMs)).toEqual([50, 100, 200].slice(0, disconnected.length));
    expect(h.of('state').map((e) => e.value)).toEqual(['idle']);

    agent.resume();
    await h.until('caught up after resume', () => h.client.nextSequence === agent.nextSequence, 5000);
    expect(h.of('state').map((e) => e.value)).toEqual(['idle', 'running']);
    // same instance and still in the buffer: sampling went on from where it stopped, nothing lost
    expect(h.of('part_count').map((e) => e.value)).toEqual([1, 2, 3, 4, 5]);
    expect(h.status('gap')).toEqual([]);
    expectOrderedUnique(h.events);
  });

  it('polling mode follows the agent with /sample?from=', async () => {
    const agent = await agentWith({ devices: [LASER, { name: 'LAS-02', uuid: 'kerf-las-02' }] });
    const h = harness({ url: agent.url, mode: 'poll', pollInterval: 20, count: 5 });
    await h.until('polling', () => h.status('polling').length > 0);
    for (const device of ['LAS-01', 'LAS-02']) {
      agent.observe(device, 'availability', 'AVAILABLE');
      agent.observe(device, 'execution', 'ACTIVE');
    }
    for (let i = 1; i <= 12; i++) agent.observe('LAS-02', 'part_count', i);
    await h.until('caught up', () => h.client.nextSequence === agent.nextSequence);
    expect(h.of('part_count').map((e) => [e.machineId, e.value])).toEqual(
      Array.from({ length: 12 }, (_, i) => ['LAS-02', i + 1]),
    );
    expect(h.of('state').map((e) => [e.machineId, e.value])).toEqual([
      ['LAS-01', 'offline'],
      ['LAS-02', 'offline'],
      ['LAS-01', 'running'],
      ['LAS-02', 'running'],
    ]);
    expectOrderedUnique(h.events);
  });

  it('asks for no more than the agent buffer holds (default count 1000 against a 16-slot buffer)', async () => {
    const agent = await agentWith({ devices: [LASER], bufferSize: 16 });
    const h = harness({ url: agent.url, interval: 5 });
    await h.until('streaming', () => h.status('streaming').length > 0);
    for (let i = 1; i <= 10; i++) agent.observe('LAS-01', 'part_count', i);
    await h.until('caught up', () => h.client.nextSequence === agent.nextSequence);
    expect(h.of('part_count').map((e) => e.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(h.status('disconnected')).toEqual([]);
  });

  it('NO_DEVICE from the agent is reported and retried, not fatal', async () => {
    const agent = await agentWith({ devices: [LASER] });
    const h = harness({ url: agent.url, device: 'NOPE', reconnectDelay: 20, maxReconnectDelay: 40 });
    await h.until('two attempts', () => h.status('disconnected').length >= 2);
    expect(h.status('disconnected')[0]!.error).toBe(
      "MTConnect agent error NO_DEVICE: Could not find the device 'NOPE'",
    );
  });
});
