import type { MachineEvent } from '@kerf/connectors';

/**
 * Receives normalized events from a source. `deliver` is synchronous on purpose: when it returns,
 * the events are in the disk buffer, so a source may acknowledge them to its peer (an MQTT PUBACK,
 * an advanced MTConnect `from`) only after the call. `reject` counts and logs input no codec could
 * read, so a poison message is visible without stopping the stream.
 */
export interface EventSink {
  deliver(events: readonly MachineEvent[]): void;
  reject(sourceId: string, reason: string): void;
}

export type SourceState = 'starting' | 'connected' | 'disconnected' | 'stopped';

export interface SourceStatus {
  id: string;
  protocol: string;
  state: SourceState;
  events: number;
  lastEventAt: string | null;
  error: string | null;
}

/**
 * One machine connection feeding the gateway. Protocol adapters wrap the @kerf/connectors clients;
 * tests use InProcessSource. `department` is the code events are published under upstream.
 */
export interface Source {
  readonly id: string;
  readonly protocol: string;
  readonly department: string;
  start(sink: EventSink): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
}

/** Bookkeeping every source shares for /health. */
export class SourceStatusTracker {
  state: SourceState = 'starting';
  events = 0;
  lastEventAt: string | null = null;
  error: string | null = null;

  constructor(
    readonly id: string,
    readonly protocol: string,
  ) {}

  delivered(count: number): void {
    this.events += count;
    this.lastEventAt = new Date().toISOString();
  }

  snapshot(): SourceStatus {
    const { id, protocol, state, events, lastEventAt, error } = this;
    return { id, protocol, state, events, lastEventAt, error };
  }
}
