import type { MachineEvent } from '@kerf/connectors';
import { SourceStatusTracker, type EventSink, type Source, type SourceStatus } from '../source.js';

/** A source fed by code in the same process: tests, benchmarks, and embedding the gateway in a bridge. */
export class InProcessSource implements Source {
  readonly protocol = 'in-process';
  private sink: EventSink | null = null;
  private readonly tracker: SourceStatusTracker;

  constructor(
    readonly id: string,
    readonly department: string,
  ) {
    this.tracker = new SourceStatusTracker(id, this.protocol);
  }

  start(sink: EventSink): Promise<void> {
    this.sink = sink;
    this.tracker.state = 'connected';
    return Promise.resolve();
  }

  /** Hands events to the gateway; when this returns they are on disk. */
  push(...events: MachineEvent[]): void {
    if (!this.sink) throw new Error(`source ${this.id}: push before start or after stop`);
    this.sink.deliver(events);
    this.tracker.delivered(events.length);
  }

  stop(): Promise<void> {
    this.sink = null;
    this.tracker.state = 'stopped';
    return Promise.resolve();
  }

  status(): SourceStatus {
    return this.tracker.snapshot();
  }
}
