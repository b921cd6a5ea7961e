import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  machineToolMapping,
  OpcUaMachineClient,
  type MachineEvent,
  type OpcUaClientStatus,
  type OpcUaMachineClientOptions,
} from '@kerf/connectors';
import { SIM_SHOP_NAMESPACE_URI } from './opcua-machine-server.js';

/** Shared by all test clients on the machine: creating the client certificate costs seconds. */
const CLIENT_PKI_DIR = join(tmpdir(), 'kerf-opcua-test-client-pki');

/** A client on the simulator's layout that records everything it emits (test helper, not exported). */
export class RecordingClient {
  readonly events: MachineEvent[] = [];
  readonly statuses: OpcUaClientStatus[] = [];
  readonly client: OpcUaMachineClient;

  constructor(endpointUrl: string, machineIds: string[], options: Partial<OpcUaMachineClientOptions> = {}) {
    this.client = new OpcUaMachineClient({
      endpointUrl,
      machines: machineIds.map((id) => machineToolMapping(id, SIM_SHOP_NAMESPACE_URI)),
      pkiDir: CLIENT_PKI_DIR,
      // These tests are about data, not channel security (opcua-security.test.ts is): plain unless asked.
      securityMode: 'None',
      trustUnknownServerCertificate: true,
      publishingIntervalMs: 50,
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
      ...options,
    });
    this.client.onEvents((events) => this.events.push(...events));
    this.client.onStatus((status) => this.statuses.push(status));
  }

  async stop(): Promise<void> {
    await this.client.stop();
  }

  of(machineId: string, metric: string): MachineEvent[] {
    return this.events.filter((e) => e.machineId === machineId && e.metric === metric);
  }

  values(machineId: string, metric: string): MachineEvent['value'][] {
    return this.of(machineId, metric).map((e) => e.value);
  }

  /** Waits until `predicate` holds, polling; fails with `what` after `timeoutMs`. */
  async until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => [e.machineId, e.metric, e.value]))}; statuses: ${this.statuses.map((s) => s.status).join(',')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A TCP proxy in front of a server whose traffic a test can cut, to break connections without a restart. */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private refusing = false;
  private readonly server: Server;

  private constructor(targetPort: number) {
    this.server = createServer((inbound) => {
      if (this.refusing) {
        inbound.destroy();
        return;
      }
      const outbound = connect(targetPort, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
  }

  static async start(targetPort: number): Promise<{ proxy: CuttableProxy; endpointUrl: string }> {
    const proxy = new CuttableProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no port');
    return { proxy, endpointUrl: `opc.tcp://127.0.0.1:${address.port}` };
  }

  /** Drops every connection and refuses new ones until resume(). */
  cut(): void {
    this.refusing = true;
    for (const s of this.sockets) s.destroy();
  }

  resume(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
