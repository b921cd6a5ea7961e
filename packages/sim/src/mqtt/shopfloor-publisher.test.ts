import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { decodeShopfloorMessage, type MachineEvent } from '@kerf/connectors';
import mqtt from 'mqtt';
import { expect, it } from 'vitest';
import type { SimEvent } from '../model/index.js';
import { ShopfloorPublisher } from './shopfloor-publisher.js';

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('keeps QoS 1 events published while the connection is down and delivers them after reconnect', async () => {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const received: MachineEvent[] = [];
  const subscriber = await mqtt.connectAsync(url, { protocolVersion: 4 });
  subscriber.on('message', (topic, payload) => received.push(decodeShopfloorMessage(topic, payload)));
  await subscriber.subscribeAsync('shopfloor/+/+/+', { qos: 1 });

  const publisher = new ShopfloorPublisher({
    url,
    departments: new Map([['WELD-01', 'weld']]),
    source: 'sim:test',
    reconnectPeriodMs: 100,
  });
  const count = (from: number, n: number): SimEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      at: 1_772_435_700_000 + from + i,
      machineId: 'WELD-01',
      type: 'part_count',
      value: from + i,
    }));
  try {
    await new Promise((resolve) => publisher.client.once('connect', resolve));
    publisher.publish(count(0, 20));
    await waitFor('first batch', () => received.length === 20);

    publisher.client.stream.destroy(); // the road to the broker drops
    await new Promise((resolve) => publisher.client.once('close', () => resolve(undefined)));
    publisher.publish(count(20, 30)); // queued by the client meanwhile
    publisher.publish([{ at: 1_772_435_800_000, machineId: 'OTHER-01', type: 'part_count', value: 1 }]); // not ours
    await waitFor('backlog after reconnect', () => received.length >= 50);
    await new Promise((r) => setTimeout(r, 100));

    expect(received.map((e) => e.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(received.map((e) => e.value)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(received.every((e) => e.source === 'sim:test' && e.machineId === 'WELD-01')).toBe(true);
  } finally {
    await publisher.stop();
    await subscriber.endAsync();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
});
