import { dirname, join } from 'node:path';
import { OpcUaMachineClient, type OpcUaClientStatus } from '@kerf/connectors';
import type { OpcuaMachine } from '../config.js';
import type { Logger } from '../log.js';
import { SourceStatusTracker, type EventSink, type Source, type SourceStatus } from '../source.js';

/** Wait before trying again when the server refused the session or a mapped node was not found. */
const RETRY_MS = 15_000;

/**
 * One machine on an OPC UA server through @kerf/connectors' OpcUaMachineClient. The client retries
 * an unreachable server by itself; a refusal (identity, missing node) ends its start(), so this
 * source starts it again later and shows the reason on /health meanwhile.
 */
export class OpcuaSource implements Source {
  readonly protocol = 'opcua';
  readonly id: string;
  readonly department: string;
  private client: OpcUaMachineClient | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly tracker: SourceStatusTracker;

  constructor(
    private readonly machine: OpcuaMachine,
    private readonly bufferPath: string,
    private readonly log: Logger,
  ) {
    this.id = machine.id;
    this.department = machine.department;
    this.tracker = new SourceStatusTracker(machine.id, this.protocol);
  }

  start(sink: EventSink): Promise<void> {
    this.stopped = false;
    this.connect(sink);
    return Promise.resolve();
  }

  private connect(sink: EventSink): void {
    const m = this.machine;
    const client = new OpcUaMachineClient({
      endpointUrl: m.endpoint,
      machines: [{ ...m.nodes, machineId: m.id }],
      securityMode: m.securityMode,
      securityPolicy: m.securityPolicy,
      identity:
        m.username !== undefined && m.password !== undefined
          ? { type: 'username', userName: m.username, password: m.password }
          : { type: 'anonymous' },
      pkiDir: m.pkiDir ?? join(dirname(this.bufferPath), 'opcua-pki'),
      applicationName: `Kerf edge ${m.id}`,
    });
    this.client = client;
    client.onEvents((events) => {
      sink.deliver(events);
      this.tracker.delivered(events.length);
    });
    client.onStatus((status) => this.onStatus(status));
    this.tracker.state = 'starting';
    client.start().catch((error: unknown) => {
      if (this.stopped || this.client !== client) return;
      this.tracker.state = 'disconnected';
      this.tracker.error = error instanceof Error ? error.message : String(error);
      this.log.error('opcua: start failed, retrying', {
        machine: this.id,
        error: this.tracker.error,
        retryInMs: RETRY_MS,
      });
      this.retry = setTimeout(() => {
        this.retry = null;
        if (!this.stopped) this.connect(sink);
      }, RETRY_MS);
    });
  }

  private onStatus(status: OpcUaClientStatus): void {
    const t = this.tracker;
    switch (status.status) {
      case 'connected':
      case 'session_restored':
        t.state = 'connected';
        t.error = null;
        break;
      case 'connection_lost':
      case 'reconnecting':
        t.state = 'disconnected';
        break;
      case 'error':
        t.error = status.error.message;
        this.log.warn('opcua: client error', { machine: this.id, error: status.error.message });
        break;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.tracker.state = 'stopped';
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    await client?.stop();
  }

  status(): SourceStatus {
    return this.tracker.snapshot();
  }
}
