import type { MtconnectMachine } from '../config.js';
import { SourceStatusTracker, type EventSink, type Source, type SourceStatus } from '../source.js';

/** MTConnect agent -> events. Placeholder until MTConnectClient lands in @kerf/connectors. */
export class MtconnectSource implements Source {
  readonly protocol = 'mtconnect';
  readonly id: string;
  readonly department: string;
  private readonly tracker: SourceStatusTracker;

  constructor(private readonly machine: MtconnectMachine) {
    this.id = machine.id;
    this.department = machine.department;
    this.tracker = new SourceStatusTracker(machine.id, this.protocol);
  }

  start(_sink: EventSink): Promise<void> {
    this.tracker.state = 'disconnected';
    this.tracker.error = `MTConnect client not available in this build (agent ${this.machine.agentUrl})`;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.tracker.state = 'stopped';
    return Promise.resolve();
  }

  status(): SourceStatus {
    return this.tracker.snapshot();
  }
}
