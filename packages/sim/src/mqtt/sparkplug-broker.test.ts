import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { SparkplugHost, SparkplugNode, type MachineEvent } from '@kerf/connectors';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShopModel } from '../model/index.js';
import { SparkplugPublisher } from './sparkplug-publisher.js';

const MOSQUITTO = 'mqtt://127.0.0.1:1883';

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The host application: subscribes to the group, feeds SparkplugHost, publishes its rebirth requests. */
class HostHarness {
  readonly host = new SparkplugHost({ rebirthIntervalMs: 500 });
  readonly events: MachineEvent[] = [];
  rebirthRequests = 0;
  deaths = 0;
  private constructor(readonly client: MqttClient) {}

  static async start(url: string, groupId: string): Promise<HostHarness> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 200 });
    const harness = new HostHarness(client);
    client.on('message', (topic, payload) => {
      if (topic.includes('/NDEATH/')) harness.deaths += 1;
      const result = harness.host.handle(topic, payload);
      harness.events.push(...result.events);
      for (const command of result.commands) {
        harness.rebirthRequests += 1;
        void client.publishAsync(command.topic, Buffer.from(command.payload), { qos: 0 });
      }
    });
    await client.subscribeAsync(`spBv1.0/${groupId}/#`, { qos: 1 });
    return harness;
  }

  last(machineId: string, metric: string): MachineEvent | undefined {
    return this.events.findLast((e) => e.machineId === machineId && e.metric === metric);
  }

  async stop(): Promise<void> {
    await this.client.endAsync();
  }
}

interface Broker {
  url: string;
  close(): Promise<void>;
}

async function aedesBroker(): Promise<Broker> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

describe.each([
  ['mosquitto', async (): Promise<Broker> => ({ url: MOSQUITTO, close: async () => undefined })],
  ['aedes', aedesBroker],
])('Sparkplug host <-> edge node through %s', (_name, makeBroker) => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await makeBroker();
  });
  afterAll(async () => {
    await broker.close();
  });

  it('births, data, seq gap -> rebirth -> data, DDEATH/DBIRTH, Will on a dead socket, stale Will ignored', async () => {
    const groupId = `KerfTest${Math.random().toString(36).slice(2, 8)}`;
    const hostSide = await HostHarness.start(broker.url, groupId);
    const model = new ShopModel(
      [
        { machineId: 'WELD-05', department: 'weld', kind: 'weld' },
        { machineId: 'ASSY-03', department: 'assembly', kind: 'assembly' },
      ],
      { seed: 7, start: Date.now() },
    );
    const publisher = new SparkplugPublisher({
      url: broker.url,
      groupId,
      edgeNodeId: 'sim-test',
      machines: model.machines,
      simNow: () => Date.now(),
      reconnectPeriodMs: 200,
    });
    try {
      // 1. births carry the current values of both devices
      await waitFor(
        'DBIRTH of both devices',
        () => !!hostSide.last('WELD-05', 'state') && !!hostSide.last('ASSY-03', 'state'),
      );
      const weld = model.machine('WELD-05')!.snapshot();
      expect(hostSide.last('WELD-05', 'part_count')?.value).toBe(weld.partCount);
      expect(hostSide.last('WELD-05', 'program')?.value).toBe(weld.program);
      const source0 = hostSide.host.sourceOf(groupId, 'sim-test')!;
      expect(source0).toMatch(new RegExp(`^spb:${groupId}/sim-test:0:\\d+$`));

      // 2. data from the model, then a synthetic count so the check does not depend on the trace
      publisher.publish(model.advanceTo(model.now + 3 * 3_600_000).map((e) => ({ ...e, at: Date.now() })));
      publisher.publish([{ at: Date.now(), machineId: 'WELD-05', type: 'part_count', value: 100_000 }]);
      await waitFor('DDATA part count', () => hostSide.last('WELD-05', 'part_count')?.value === 100_000);
      expect(hostSide.rebirthRequests).toBe(0);

      // 3. a lost message: the host sees a seq gap, asks for a rebirth, and data flows again
      publisher.node.ddata('WELD-05', { PartCount: 100_001 }); // encoded, never sent
      publisher.publish([{ at: Date.now(), machineId: 'WELD-05', type: 'part_count', value: 100_002 }]);
      await waitFor('rebirth', () => publisher.births === 2);
      expect(hostSide.rebirthRequests).toBeGreaterThanOrEqual(1);
      expect(hostSide.events.some((e) => e.value === 100_002)).toBe(false); // dropped, not applied out of order
      publisher.publish([{ at: Date.now(), machineId: 'WELD-05', type: 'part_count', value: 100_003 }]);
      await waitFor('data after rebirth', () => hostSide.last('WELD-05', 'part_count')?.value === 100_003);
      const source1 = hostSide.host.sourceOf(groupId, 'sim-test')!;
      expect(source1).not.toBe(source0); // same bdSeq, new birth timestamp
      const sequences = hostSide.events
        .filter((e) => e.machineId === 'WELD-05' && e.source === source1)
        .map((e) => e.sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));

      // 3b. a machine dropping off the network is a DDEATH; it comes back with a DBIRTH of its latest values
      const t = Date.now();
      publisher.publish([
        { at: t, machineId: 'ASSY-03', type: 'state', value: 'offline' },
        { at: t + 1, machineId: 'ASSY-03', type: 'part_count', value: 555 }, // unreachable: not sent
      ]);
      await waitFor('DDEATH offline', () => hostSide.last('ASSY-03', 'state')?.value === 'offline');
      expect(hostSide.last('ASSY-03', 'part_count')?.value).not.toBe(555);
      publisher.publish([{ at: t + 2, machineId: 'ASSY-03', type: 'state', value: 'idle' }]);
      await waitFor('DBIRTH after offline', () => hostSide.last('ASSY-03', 'state')?.value === 'idle');
      expect(hostSide.last('ASSY-03', 'part_count')?.value).toBe(555); // the birth carries the latest count

      // 4. the socket dies: the broker publishes the Will, both devices go offline, the node comes back with bdSeq 1
      const offlineBefore = hostSide.events.filter((e) => e.value === 'offline').length;
      publisher.destroyConnection();
      await waitFor(
        'NDEATH offline events',
        () => hostSide.events.filter((e) => e.value === 'offline').length >= offlineBefore + 2,
      );
      await waitFor(
        'rebirth after reconnect',
        () => hostSide.host.sourceOf(groupId, 'sim-test')?.includes(':1:') === true,
      );
      expect(publisher.node.bdSeq).toBe(1);

      // 5. a late Will of the old connection (bdSeq 0) must not kill the new session
      const eventsBefore = hostSide.events.length;
      const staleWill = new SparkplugNode({ groupId, edgeNodeId: 'sim-test', bdSeq: 0 }).will();
      await hostSide.client.publishAsync(staleWill.topic, Buffer.from(staleWill.payload), { qos: 1 });
      publisher.publish([{ at: Date.now(), machineId: 'ASSY-03', type: 'part_count', value: 777 }]);
      await waitFor('data after the stale Will', () => hostSide.last('ASSY-03', 'part_count')?.value === 777);
      const deathsSeen = hostSide.deaths;
      expect(deathsSeen).toBeGreaterThanOrEqual(2);
      expect(hostSide.events.slice(eventsBefore).some((e) => e.value === 'offline')).toBe(false);
      expect(hostSide.last('ASSY-03', 'part_count')?.source).toContain(':1:');
    } finally {
      await publisher.stop();
    }
    // a clean stop announces the death itself (a DISCONNECT suppresses the Will)
    await waitFor('offline on stop', () => hostSide.last('WELD-05', 'state')?.value === 'offline');
    await hostSide.stop();
  });
});
