import type { OpcuaMachine } from '../config.js';
import { SourceStatusTracker, type EventSink, type Source, type SourceStatus } from '../source.js';

/** OPC UA server -> events. Placeholder until OpcUaMachineClient lands in @kerf/connectors. */
export class OpcuaSource implements Source {
  readonly protocol = 'opcua';
  readonly id: string;
  readonly department: string;
  private readonly tracker: SourceStatusTracker;

  constructor(private readonly machine: OpcuaMachine) {
    this.id = machine.id;
    this.department = machine.department;
    this.tracker = new SourceStatusTracker(machine.id, this.protocol);
  }

  start(_sink: EventSink): Promise<void> {
    this.tracker.state = 'disconnected';
    this.tracker.error = `OPC UA client not available in this build (endpoint ${this.machine.endpoint})`;
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
