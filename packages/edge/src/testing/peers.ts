/**
 * Real peers for the edge tests: an embedded aedes broker whose gateway-facing listener can be cut
 * and restored while the subscriber's listener stays up, a TCP proxy that cuts the road to
 * Mosquitto, and a subscriber that checks every event arrived once, in order, by dedupe key.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { decodeShopfloorMessage, type MachineEvent } from '@kerf/connectors';
import mqtt from 'mqtt';

export function countEvent(machineId: string, sequence: number, source = 'test'): MachineEvent {
  return {
    machineId,
    timestamp: new Date(1_764_000_000_000 + sequence * 1000).toISOString(),
    source,
    sequence,
    kind: 'count',
    metric: 'part_count',
    value: sequence,
  };
}

/** A listener that can be closed (every connection destroyed) and reopened on the same port. */
export class CuttableListener {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly onConnection: (socket: Socket) => void) {}

  async open(): Promise<void> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.onConnection(socket);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Aedes with two listeners: `upstream` (the gateway's, cuttable) and `downstream` (the subscriber's). */
export class TwoDoorBroker {
  upstream!: CuttableListener;
  downstream!: CuttableListener;
  broker!: Aedes;

  static async start(): Promise<TwoDoorBroker> {
    const b = new TwoDoorBroker();
    b.broker = await Aedes.createBroker();
    b.upstream = new CuttableListener((s) => b.broker.handle(s));
    b.downstream = new CuttableListener((s) => b.broker.handle(s));
    await b.upstream.open();
    await b.downstream.open();
    return b;
  }

  async close(): Promise<void> {
    await this.upstream.cut();
    await this.downstream.cut();
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
  }
}

/** TCP proxy to a real broker; cut() drops every connection and refuses new ones until open(). */
export class CuttableProxy extends CuttableListener {
  constructor(targetPort: number, targetHost = '127.0.0.1') {
    super((client) => {
      const upstream = tcpConnect(targetPort, targetHost);
      client.pipe(upstream).pipe(client);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
  }
}

/** Subscribes to shopfloor/{department}/# and keeps what the server's dedupe would see. */
export class CheckingSubscriber {
  raw = 0;
  readonly keys = new Set<string>();
  /** Per machine, the sequences in the order they first arrived. */
  readonly firstSeen = new Map<string, number[]>();
  /** Distinct events in the order they first arrived. */
  readonly values: MachineEvent[] = [];
  errors: string[] = [];

  private constructor(private readonly client: mqtt.MqttClient) {}

  static async start(url: string, department: string): Promise<CheckingSubscriber> {
    const client = await mqtt.connectAsync(url, { clientId: `kerf-edge-test-sub-${randomId()}`, clean: true });
    const sub = new CheckingSubscriber(client);
    client.on('message', (topic, payload) => sub.onMessage(topic, payload));
    await client.subscribeAsync(`shopfloor/${department}/#`, { qos: 1 });
    return sub;
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.raw++;
    let event: MachineEvent;
    try {
      event = decodeShopfloorMessage(topic, new Uint8Array(payload));
    } catch (error) {
      this.errors.push(String(error));
      return;
    }
    const key = `${event.machineId}|${event.source}|${event.sequence}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.values.push(event);
    let list = this.firstSeen.get(event.machineId);
    if (!list) this.firstSeen.set(event.machineId, (list = []));
    list.push(event.sequence);
  }

  get duplicates(): number {
    return this.raw - this.keys.size - this.errors.length;
  }

  async waitForDistinct(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.keys.size < count && Date.now() < deadline) await sleep(20);
    if (this.keys.size < count) throw new Error(`subscriber saw ${this.keys.size} distinct events, expected ${count}`);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** True when `seqs` is strictly increasing and holds exactly first..last. */
export function isCompleteRun(seqs: number[], first: number, last: number): boolean {
  if (seqs.length !== last - first + 1) return false;
  return seqs.every((s, i) => s === first + i);
}

export function randomId(): string {
  return Math.random().toString(36).slice(2, 10);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Removes a persistent session a test left on a shared broker. */
export async function clearSession(url: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 0 });
  await client.endAsync();
}

const tempDirs: string[] = [];

/** A fresh folder under the OS temp dir, removed by removeTempDirs() (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
