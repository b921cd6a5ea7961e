import { decodeShopfloorMessage, SparkplugHost, type MachineEvent } from '@kerf/connectors';
import mqtt from 'mqtt';
import { expect, it } from 'vitest';
import { DEMO_MACHINES, type SimMachine } from './model/index.js';
import { startSimulator } from './simulator.js';

const MOSQUITTO = 'mqtt://127.0.0.1:1883';

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pick = (...ids: string[]): SimMachine[] => ids.map((id) => DEMO_MACHINES.find((m) => m.machineId === id)!);

it('runs every protocol; a Mosquitto subscriber receives every shopfloor event once, in order', async () => {
  const machines = pick('LASER-01', 'PUNCH-01', 'WELD-01', 'POLISH-01', 'ASSY-01', 'DEBURR-01');
  const start = Date.now() - Math.floor(Math.random() * 1e6);
  const source = `sim:${start}`;
  const groupId = `KerfSim${Math.random().toString(36).slice(2, 8)}`;

  const subscriber = await mqtt.connectAsync(MOSQUITTO, { protocolVersion: 4 });
  const shopfloor: MachineEvent[] = [];
  const host = new SparkplugHost();
  const sparkplug: MachineEvent[] = [];
  subscriber.on('message', (topic, payload) => {
    if (topic.startsWith('spBv1.0/')) {
      sparkplug.push(...host.handle(topic, payload).events);
      return;
    }
    const event = decodeShopfloorMessage(topic, payload);
    if (event.source === source) shopfloor.push(event);
  });
  await subscriber.subscribeAsync(['shopfloor/+/+/+', `spBv1.0/${groupId}/#`], { qos: 1 });

  const sim = await startSimulator({
    machines,
    mqttUrl: MOSQUITTO,
    seed: 3,
    speed: 3600, // a simulated hour per real second
    start,
    tickMs: 50,
    sparkplugGroupId: groupId,
  });
  try {
    expect(sim.endpoints.opcua).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+$/);
    await new Promise((r) => setTimeout(r, 1500));
    const current = await (await fetch(`${sim.endpoints.mtconnect}/current`)).text();
    expect(current).toContain('LASER-01');
    expect(current).toMatch(/<PartCount[^>]*>\d+<\/PartCount>/);
  } finally {
    await sim.stop();
  }
  const counts = sim.counts();
  expect(counts.mqtt).toBeGreaterThan(9); // at least the initial program/count/state of three machines
  await waitFor('every QoS 1 message', () => shopfloor.length >= counts.mqtt);
  await subscriber.endAsync();

  expect(shopfloor.length).toBe(counts.mqtt);
  for (const id of ['WELD-01', 'POLISH-01', 'ASSY-01']) {
    const mine = shopfloor.filter((e) => e.machineId === id);
    expect(mine.map((e) => e.sequence)).toEqual(mine.map((_, i) => i + 1));
    const countsSeen = mine.filter((e) => e.kind === 'count').map((e) => e.value as number);
    expect(countsSeen).toEqual([...countsSeen].sort((a, b) => a - b));
    // wall-clock stamps: a sped-up run never reports the future
    expect(mine.every((e) => Date.parse(e.timestamp) <= Date.now())).toBe(true);
  }
  expect(sparkplug.some((e) => e.machineId === 'DEBURR-01' && e.kind === 'state')).toBe(true);
  expect(sparkplug.at(-1)).toMatchObject({ machineId: 'DEBURR-01', value: 'offline' }); // NDEATH on stop
});

it('refuses MQTT machines without a broker URL', async () => {
  await expect(startSimulator({ machines: pick('WELD-01') })).rejects.toThrow(/mqttUrl/);
});
