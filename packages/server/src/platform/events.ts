import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { INSTANCE_ID } from './instance.js';

/**
 * Every domain event Kerf knows, by type. The base layer knows none of them: each module adds its
 * own by declaration merging, the way route access is declared, e.g.
 *
 *   declare module '../platform/events.js' {
 *     interface KerfEvents { 'slot.changed': { slotId: string; action: string } }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules' declarations
export interface KerfEvents {}

export type KerfEventType = keyof KerfEvents;

/** One event: its declared fields plus its `type`. */
export type KerfEvent = { [K in KerfEventType]: KerfEvents[K] & { type: K } }[KerfEventType];

export type KerfEventOf<K extends KerfEventType> = Extract<KerfEvent, { type: K }>;

/** An event as it travels between instances: durable ones carry their outbox id. */
export interface EventEnvelope {
  /** `domain_events.id` of a durable event; absent for live-only events (machine status, progress) */
  id?: string;
  /** the instance that delivered it first (it does not deliver it again from the fan-out) */
  origin: string;
  event: KerfEvent;
}

/** Carries events to the other Kerf instances (Redis pub/sub with REDIS_URL); absent on one instance. */
export interface EventFanout {
  send(envelope: EventEnvelope): Promise<void>;
  /** starts listening; `receive` gets every envelope, this instance's own included */
  start(receive: (envelope: EventEnvelope) => void): Promise<void>;
  stop(): Promise<void>;
}

export type EventListener = (event: KerfEvent) => void;

// Enough to drop a redelivered event (an instance that crashed between publishing and marking).
const REMEMBERED_IDS = 10_000;

/**
 * The event bus of one process. Two ways in:
 * - `record(tx, event)` inside a command's transaction writes the event to the `domain_events`
 *   outbox with the change and its audit row; the outbox drainer (event-outbox.ts) delivers it
 *   after commit, to this process and, through the fan-out, to every other instance. Nothing
 *   committed is lost: a crash before delivery leaves the row for the next drainer.
 * - `publish(event)` delivers a live-only event now (machine status, plan-run progress): the
 *   fact itself is stored elsewhere (machine_events, plan_runs), the event only wakes screens.
 * Subscribers see each event once per process: durable ones are de-duplicated by outbox id.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly seen = new Set<string>();
  private readonly recordedListeners = new Set<() => void>();
  private fanout: EventFanout | undefined;

  constructor(
    private readonly onListenerError: (err: unknown, event: KerfEvent) => void = (err, event) =>
      process.stderr.write(
        `kerf: a ${event.type} subscriber failed: ${err instanceof Error ? err.message : String(err)}\n`,
      ),
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Connects the bus to other instances; every envelope they send is delivered here. */
  async connect(fanout: EventFanout): Promise<void> {
    await fanout.start((envelope) => {
      if (envelope.origin !== INSTANCE_ID) this.deliver(envelope);
    });
    this.fanout = fanout;
  }

  async disconnect(): Promise<void> {
    const fanout = this.fanout;
    this.fanout = undefined;
    await fanout?.stop();
  }

  /** Writes a durable event in the caller's transaction; it is delivered after commit. */
  async record(tx: Db, event: KerfEvent): Promise<void> {
    const { type, ...payload } = event;
    await tx.execute(
      sql`INSERT INTO domain_events (type, payload) VALUES (${type}, ${JSON.stringify(payload)}::jsonb)`,
    );
    for (const listener of this.recordedListeners) listener();
  }

  /** The drainer learns here that a transaction wrote an event (it looks once it may have committed). */
  onRecorded(listener: () => void): () => void {
    this.recordedListeners.add(listener);
    return () => this.recordedListeners.delete(listener);
  }

  /** Delivers a live-only event to this process now and to the other instances. */
  publish(event: KerfEvent): void {
    const envelope: EventEnvelope = { origin: INSTANCE_ID, event };
    this.deliver(envelope);
    this.fanout?.send(envelope).catch(() => {
      // Live-only: a screen on another instance misses one refresh; the fact is stored.
    });
  }

  /**
   * Delivers a durable event read from the outbox, here and to the other instances. Resolves once
   * the fan-out took it, so the drainer marks it published only then.
   */
  async deliverDurable(id: string, event: KerfEvent): Promise<void> {
    const envelope: EventEnvelope = { id, origin: INSTANCE_ID, event };
    this.deliver(envelope);
    await this.fanout?.send(envelope);
  }

  /** A listener that throws does not keep the event from the others; its error goes to `onListenerError`. */
  subscribe(listener: EventListener): () => void {
    const guarded = (event: KerfEvent) => {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err, event);
      }
    };
    this.emitter.on('event', guarded);
    return () => this.emitter.off('event', guarded);
  }

  private deliver(envelope: EventEnvelope): void {
    if (envelope.id !== undefined) {
      if (this.seen.has(envelope.id)) return;
      this.seen.add(envelope.id);
      if (this.seen.size > REMEMBERED_IDS) this.seen.delete(this.seen.values().next().value!);
    }
    this.emitter.emit('event', envelope.event);
  }
}
