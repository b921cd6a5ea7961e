import { MTConnectClient, type MTConnectClientStatus } from '@kerf/connectors';
import type { MtconnectMachine } from '../config.js';
import type { Logger } from '../log.js';
import { SourceStatusTracker, type EventSink, type Source, type SourceStatus } from '../source.js';

/**
 * One device of an MTConnect agent through @kerf/connectors' MTConnectClient. The client awaits
 * onEvents before reading on, and deliver() persists synchronously, so nothing the client has moved
 * past is only in memory. After a gateway restart the client starts from /current again; events it
 * re-reads carry the same (source, sequence) as before and dedupe downstream.
 */
export class MtconnectSource implements Source {
  readonly protocol = 'mtconnect';
  readonly id: string;
  readonly department: string;
  private client: MTConnectClient | null = null;
  private readonly tracker: SourceStatusTracker;

  constructor(
    private readonly machine: MtconnectMachine,
    private readonly log: Logger,
  ) {
    this.id = machine.id;
    this.department = machine.department;
    this.tracker = new SourceStatusTracker(machine.id, this.protocol);
  }

  start(sink: EventSink): Promise<void> {
    const { machine } = this;
    this.client = new MTConnectClient({
      url: machine.agentUrl,
      device: machine.device,
      machines: { [machine.device]: machine.id },
      onlyMappedDevices: true,
      onEvents: (events) => {
        sink.deliver(events);
        this.tracker.delivered(events.length);
      },
      onStatus: (status) => this.onStatus(status),
    });
    this.client.start();
    return Promise.resolve();
  }

  private onStatus(status: MTConnectClientStatus): void {
    const t = this.tracker;
    switch (status.kind) {
      case 'connecting':
        if (t.state !== 'disconnected') t.state = 'starting';
        break;
      case 'connected':
      case 'streaming':
      case 'polling':
        t.state = 'connected';
        t.error = null;
        break;
      case 'gap':
        this.log.warn('mtconnect: fell out of the agent buffer, re-synced from /current', {
          machine: this.id,
          from: status.from,
          to: status.to,
        });
        break;
      case 'instance-changed':
        this.log.info('mtconnect: agent restarted', {
          machine: this.id,
          previous: status.previous,
          current: status.current,
        });
        break;
      case 'disconnected':
        t.state = 'disconnected';
        t.error = status.error;
        break;
      case 'consumer-error':
        // deliver() threw (the buffer could not write): the client counts those events as delivered.
        t.error = status.error;
        this.log.error('mtconnect: events could not be buffered', { machine: this.id, error: status.error });
        break;
      case 'stopped':
        t.state = 'stopped';
        break;
    }
  }

  async stop(): Promise<void> {
    this.tracker.state = 'stopped';
    await this.client?.stop();
    this.client = null;
  }

  status(): SourceStatus {
    return this.tracker.snapshot();
  }
}
