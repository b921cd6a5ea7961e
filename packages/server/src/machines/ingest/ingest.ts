import type { MachineEvent } from '@kerf/connectors';
import type { Database } from '../../platform/db.js';
import type { EventBus, KerfEvent } from '../../platform/events.js';
import type { MachineRegistry } from '../registry.js';
import { unknownStatus, type StatusCache } from '../status-cache.js';
import type { MachineStatus, MachineStatusEvent } from '../status-types.js';
import { dedupeKey, DedupeLru } from './dedupe-lru.js';
import { storeBatch, type ResolvedEvent } from './store-batch.js';
import { eventProblem } from './validate-event.js';

export type RejectReason = 'bad_payload' | 'unknown_machine' | 'disabled_machine';

export interface IngestCounters {
  /** events offered (and MQTT messages that could not be decoded) */
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  rejectedBy: Record<RejectReason, number>;
  /** refused by submit() because the queue was full */
  dropped: number;
  /** state events older than the machine's current state: stored, but no interval */
  lateStates: number;
  pending: number;
  batches: number;
  writeErrors: number;
}

export interface IngestOptions {
  /** events held in memory before intake pauses (default 20,000) */
  maxQueue?: number;
  /** events per INSERT (default 2,000) */
  maxBatch?: number;
  /** dedupe keys remembered (default 200,000) */
  lruSize?: number;
  onError?: (err: unknown) => void;
}

export interface SubmitResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  dropped: number;
}

/**
 * The machine data pipeline from decoded events to the database, the status cache and the
 * event bus. Every event offered ends in exactly one counter: stored, duplicates, rejected or
 * dropped (pending while queued). One writer drains the queue in batches, so under load batches
 * grow and per-row cost falls; when idle each event is written at once (low latency).
 */
export class Ingest {
  readonly counters: IngestCounters = {
    received: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    rejectedBy: { bad_payload: 0, unknown_machine: 0, disabled_machine: 0 },
    dropped: 0,
    lateStates: 0,
    pending: 0,
    batches: 0,
    writeErrors: 0,
  };
  private queue: MachineEvent[] = [];
  private readonly lru: DedupeLru;
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private wake: (() => void) | undefined;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly database: Database,
    private readonly registry: MachineRegistry,
    private readonly cache: StatusCache,
    private readonly events: EventBus,
    private readonly options: IngestOptions = {},
  ) {
    this.maxQueue = options.maxQueue ?? 20_000;
    this.maxBatch = options.maxBatch ?? 2_000;
    this.lru = new DedupeLru(options.lruSize ?? 200_000);
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Writes what is queued, then stops the writer. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  get queued(): number {
    return this.queue.length;
  }

  hasRoom(): boolean {
    return this.queue.length < this.maxQueue;
  }

  /** Resolves when the queue has room again (intake pauses on it instead of dropping). */
  whenRoom(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves when everything offered so far has been written (tests, shutdown, benchmarks). */
  flushed(): Promise<void> {
    if (this.queue.length === 0 && !this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Counts input that never became an event (an MQTT payload that does not decode). */
  reject(reason: RejectReason, count = 1): void {
    this.counters.received += count;
    this.counters.rejected += count;
    this.counters.rejectedBy[reason] += count;
  }

  /**
   * Offers events from any connector. Malformed events are rejected, redeliveries dropped as
   * duplicates; what does not fit in the queue is dropped and counted (use `push` to wait).
   * `overshoot` lets a caller that already waited for room (MQTT intake) add a multi-event message whole.
   */
  submit(events: MachineEvent[], options: { overshoot?: boolean } = {}): SubmitResult {
    const result: SubmitResult = { accepted: 0, duplicates: 0, rejected: 0, dropped: 0 };
    for (const e of events) {
      this.counters.received++;
      if (eventProblem(e) !== null) {
        this.counters.rejected++;
        this.counters.rejectedBy.bad_payload++;
        result.rejected++;
        continue;
      }
      if (this.queue.length >= this.maxQueue && !options.overshoot) {
        this.counters.dropped++;
        result.dropped++;
        continue;
      }
      if (!this.lru.add(dedupeKey(e.machineId, e.source, e.sequence))) {
        this.counters.duplicates++;
        result.duplicates++;
        continue;
      }
      this.queue.push(e);
      result.accepted++;
    }
    this.counters.pending = this.queue.length;
    if (result.accepted > 0) this.wake?.();
    return result;
  }

  /** Like submit, but waits for room instead of dropping (direct connectors in the server). */
  async push(events: MachineEvent[]): Promise<SubmitResult> {
    const total: SubmitResult = { accepted: 0, duplicates: 0, rejected: 0, dropped: 0 };
    for (let i = 0; i < events.length;) {
      await this.whenRoom();
      const room = Math.max(1, this.maxQueue - this.queue.length);
      const r = this.submit(events.slice(i, i + room));
      total.accepted += r.accepted;
      total.duplicates += r.duplicates;
      total.rejected += r.rejected;
      i += room;
    }
    return total;
  }

  private busy = false;

  private async loop(): Promise<void> {
    let backoff = 50;
    for (;;) {
      if (this.queue.length === 0) {
        this.busy = false;
        for (const w of this.idleWaiters.splice(0)) w();
        if (this.stopping) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        // Let the rest of this turn's deliveries in first: the embedded broker hands messages over
        // one by one in microtasks, and with PGlite (no socket wait) the writer would otherwise
        // commit one event per transaction.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      this.busy = true;
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        await this.write(batch);
        this.queue = this.queue.slice(batch.length);
        this.counters.pending = this.queue.length;
        backoff = 50;
        while (this.hasRoom() && this.roomWaiters.length > 0) this.roomWaiters.shift()!();
      } catch (err) {
        // The database is down or restarting: keep the batch and retry; nothing is acked
        // beyond the queue, and the queue bound pauses intake meanwhile.
        this.counters.writeErrors++;
        this.options.onError?.(err);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  private async write(batch: MachineEvent[]): Promise<void> {
    await this.registry.resolve(new Set(batch.map((e) => e.machineId)));
    const resolved: ResolvedEvent[] = [];
    let rejectedUnknown = 0;
    let rejectedDisabled = 0;
    for (const event of batch) {
      const machine = this.registry.get(event.machineId);
      if (!machine) rejectedUnknown++;
      else if (!machine.enabled) rejectedDisabled++;
      else resolved.push({ event, machine });
    }
    const current = (m: { id: string; code: string; departmentId: string }): MachineStatus =>
      this.cache.current(m.code) ?? unknownStatus(m);
    const { stored, steps } = resolved.length
      ? await storeBatch(this.database.db, resolved, current)
      : { stored: [], steps: [] };
    // Counters move only after the commit, so a retried batch is never counted twice.
    this.counters.batches++;
    this.counters.stored += stored.length;
    this.counters.duplicates += resolved.length - stored.length;
    this.counters.rejected += rejectedUnknown + rejectedDisabled;
    this.counters.rejectedBy.unknown_machine += rejectedUnknown;
    this.counters.rejectedBy.disabled_machine += rejectedDisabled;
    const published: KerfEvent[] = [];
    for (const step of steps) {
      this.counters.lateStates += step.late;
      for (const alarm of step.alarms) published.push(alarm);
      if (step.changed.size > 0) {
        const event: MachineStatusEvent = {
          type: 'machine.status',
          machineId: step.status.code,
          departmentId: step.status.departmentId,
          changed: [...step.changed],
          status: step.status,
          at: step.at,
        };
        published.push(event);
      }
    }
    // The batch is committed: a Redis hiccup must not make it retry (and count it twice).
    await this.cache
      .put(
        steps.map((s) => s.status),
        published,
      )
      .catch((err: unknown) => this.options.onError?.(err));
    for (const event of published) this.events.publish(event);
  }
}
