import { parseShopfloorTopic, type MachineEvent } from '@kerf/connectors';
import type { Database } from '../../platform/db.js';
import type { EventBus, KerfEvent } from '../../platform/events.js';
import type { MachineRegistry } from '../registry.js';
import { unknownStatus, type StatusCache } from '../status-cache.js';
import type { MachineStatus, MachineStatusEvent } from '../status-types.js';
import { dedupeKey, DedupeLru } from './dedupe-lru.js';
import { isRefusedData, refusalMessage } from './refused-data.js';
import type { RejectionLog } from './rejection-log.js';
import { SequenceEpochs } from './sequence-epochs.js';
import { storeBatch, type ResolvedEvent } from './store-batch.js';
import { eventProblem } from './validate-event.js';

/** store_refused: the database refused the row itself (found by splitting its batch) */
/** wrong_department: the topic's department is not the machine's (any broker, not only the embedded one) */
export type RejectReason =
  'bad_payload' | 'unknown_machine' | 'disabled_machine' | 'store_refused' | 'wrong_department';

/** Where events came from, for the rejection record: an MQTT message, or a connector when absent. */
export interface EventOrigin {
  topic?: string;
  /** the MQTT username, when the intake knows it */
  username?: string;
}

export interface IngestCounters {
  /** events offered (and MQTT messages that could not be decoded) */
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  rejectedBy: Record<RejectReason, number>;
  /** refused by submit() because the queue was full, or given up at shutdown with the database away */
  dropped: number;
  /** a device's sequence started over with newer times (a new epoch, ADR 0010) */
  sequenceRestarts: number;
  /** batches split because the database refused a row in them */
  splits: number;
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
  /** how long stop() keeps retrying a database that is away before it gives the queue up (default 5 s) */
  stopTimeoutMs?: number;
  /** where rejected input is counted per device and logged */
  rejections?: RejectionLog;
  onError?: (err: unknown) => void;
  log?: (msg: string) => void;
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
    rejectedBy: { bad_payload: 0, unknown_machine: 0, disabled_machine: 0, store_refused: 0, wrong_department: 0 },
    dropped: 0,
    sequenceRestarts: 0,
    splits: 0,
    lateStates: 0,
    pending: 0,
    batches: 0,
    writeErrors: 0,
  };
  private queue: MachineEvent[] = [];
  private readonly lru: DedupeLru;
  private readonly epochs: SequenceEpochs;
  /** the MQTT message each queued event came from, for rejections found at write time */
  private readonly origins = new WeakMap<MachineEvent, EventOrigin>();
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private wake: (() => void) | undefined;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;
  private stopDeadline = Infinity;

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
    this.epochs = new SequenceEpochs(100_000, (e, previous) => {
      this.counters.sequenceRestarts++;
      options.log?.(
        `kerf: machine ${e.machineId} source ${e.source} restarted its sequence (${previous.sequence} -> ${e.sequence} at ${e.timestamp}); new epoch`,
      );
    });
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.stopDeadline = Infinity;
    this.running = this.loop();
  }

  /**
   * Writes what is queued, then stops the writer. When the database stays away longer than
   * `stopTimeoutMs` (5 s), the rest of the queue is given up (counted as dropped, logged) rather than
   * holding the process past its shutdown.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopDeadline = Date.now() + (this.options.stopTimeoutMs ?? 5_000);
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
  reject(reason: RejectReason, detail: { message: string; device: string; topic?: string; machine?: string }): void {
    this.counters.received++;
    this.counters.rejected++;
    this.counters.rejectedBy[reason]++;
    this.options.rejections?.record({ reason, ...detail });
  }

  private rejectEvent(e: MachineEvent, reason: RejectReason, message: string, origin?: EventOrigin): void {
    this.counters.rejected++;
    this.counters.rejectedBy[reason]++;
    const from = origin ?? this.origins.get(e);
    this.options.rejections?.record({
      device:
        from?.username ?? (typeof e?.source === 'string' && e.source !== '' ? e.source : (from?.topic ?? '(unknown)')),
      reason,
      message,
      topic: from?.topic ?? null,
      machine: typeof e?.machineId === 'string' ? e.machineId : null,
    });
  }

  /**
   * Offers events from any connector. Malformed events are rejected, redeliveries dropped as
   * duplicates; what does not fit in the queue is dropped and counted (use `push` to wait).
   * `overshoot` lets a caller that already waited for room (MQTT intake) add a multi-event message whole.
   */
  submit(events: MachineEvent[], options: { overshoot?: boolean; origin?: EventOrigin } = {}): SubmitResult {
    const result: SubmitResult = { accepted: 0, duplicates: 0, rejected: 0, dropped: 0 };
    for (const e of events) {
      this.counters.received++;
      const problem = eventProblem(e);
      if (problem !== null) {
        this.rejectEvent(e, 'bad_payload', problem, options.origin);
        result.rejected++;
        continue;
      }
      if (this.queue.length >= this.maxQueue && !options.overshoot) {
        this.counters.dropped++;
        result.dropped++;
        continue;
      }
      if (!this.lru.add(dedupeKey(e.machineId, e.source, this.epochs.epochOf(e), e.sequence))) {
        this.counters.duplicates++;
        result.duplicates++;
        continue;
      }
      this.queue.push(e);
      if (options.origin) this.origins.set(e, options.origin);
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
      try {
        await this.writeHead(Math.min(this.queue.length, this.maxBatch));
        backoff = 50;
      } catch (err) {
        // The database is down or restarting: keep the batch and retry; nothing is acked
        // beyond the queue, and the queue bound pauses intake meanwhile.
        this.counters.writeErrors++;
        this.options.onError?.(err);
        if (this.stopping && Date.now() >= this.stopDeadline) {
          this.giveUp(err);
          continue;
        }
        await new Promise((r) => setTimeout(r, Math.min(backoff, Math.max(0, this.stopDeadline - Date.now()))));
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  /**
   * Writes the first `n` queued events and takes them off the queue. When the database refuses
   * rows as data (not a lost connection), the batch is split in halves until each refused row
   * stands alone and is rejected; the rest is stored. Parts are written in queue order and taken
   * off as they commit, so a connection error midway retries only what is left.
   */
  private async writeHead(n: number): Promise<void> {
    const batch = this.queue.slice(0, n);
    try {
      await this.write(batch);
    } catch (err) {
      if (!isRefusedData(err)) throw err;
      if (n === 1) {
        this.rejectEvent(batch[0]!, 'store_refused', `the database refused the event: ${refusalMessage(err)}`);
        this.take(1);
        return;
      }
      this.counters.splits++;
      const half = Math.ceil(n / 2);
      await this.writeHead(half);
      await this.writeHead(n - half);
      return;
    }
    this.take(n);
  }

  private take(n: number): void {
    this.queue.splice(0, n);
    this.counters.pending = this.queue.length;
    while (this.hasRoom() && this.roomWaiters.length > 0) this.roomWaiters.shift()!();
  }

  /** Shutdown with the database away: the queue cannot be written; say so instead of hanging. */
  private giveUp(err: unknown): void {
    const lost = this.queue.length;
    this.counters.dropped += lost;
    this.queue = [];
    this.counters.pending = 0;
    for (const w of this.roomWaiters.splice(0)) w();
    this.options.log?.(
      `kerf: machine ingest stopped with the database unavailable; ${lost} queued events were not stored (${refusalMessage(err)})`,
    );
  }

  private async write(batch: MachineEvent[]): Promise<void> {
    await this.registry.resolve(new Set(batch.map((e) => e.machineId)));
    const resolved: ResolvedEvent[] = [];
    const unknown: MachineEvent[] = [];
    const disabled: MachineEvent[] = [];
    const misplaced: { event: MachineEvent; message: string }[] = [];
    for (const event of batch) {
      const machine = this.registry.get(event.machineId);
      const department = topicDepartment(this.origins.get(event)?.topic);
      if (!machine) unknown.push(event);
      else if (!machine.enabled) disabled.push(event);
      else if (department !== undefined && department !== machine.departmentId)
        misplaced.push({
          event,
          message: `topic: machine "${machine.code}" belongs to department ${machine.departmentId}, not ${department}`,
        });
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
    for (const e of unknown) this.rejectEvent(e, 'unknown_machine', `machineId: no machine "${e.machineId}" in Kerf`);
    for (const e of disabled)
      this.rejectEvent(e, 'disabled_machine', `machineId: machine "${e.machineId}" is disabled`);
    for (const m of misplaced) this.rejectEvent(m.event, 'wrong_department', m.message);
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
    await this.cache.put(steps.map((s) => s.status)).catch((err: unknown) => this.options.onError?.(err));
    for (const event of published) this.events.publish(event);
  }
}

/**
 * The department a `shopfloor/{department}/{machine}/...` topic names. The embedded broker already
 * refuses such a publish before acknowledging it; with MQTT_URL the grants live in the external
 * broker, which cannot know machines, so the ingest checks it too: a device allowed under
 * `shopfloor/weld/` must not drive a laser by naming it.
 */
function topicDepartment(topic: string | undefined): string | undefined {
  return topic === undefined ? undefined : parseShopfloorTopic(topic)?.department;
}
