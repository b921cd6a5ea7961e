import mqtt from 'mqtt';
import type { EventBuffer } from './buffer.js';
import type { UpstreamConfig } from './config.js';
import type { Logger } from './log.js';
import type { EdgeCounters } from './metrics.js';

interface InFlight {
  id: number;
  acked: boolean;
}

/** Rows read from SQLite per query while replaying; larger batches cost latency, not throughput. */
const READ_BATCH = 500;

/**
 * Sends the buffer upstream in edge-sequence order at QoS 1 with a bounded in-flight window, and
 * deletes rows only below the low-water mark of PUBACKs.
 *
 * Each connection is a fresh mqtt.js client with `reconnectPeriod: 0`: mqtt.js would otherwise
 * resend its own in-memory copy of unacknowledged packets on reconnect while the buffer resends
 * the same rows, doubling every in-flight event. Here the buffer is the only source of truth:
 * after a cut, sending restarts at the first unacknowledged row, in order.
 */
export class UpstreamPublisher {
  private client: mqtt.MqttClient | null = null;
  /** Bumped on every connect and disconnect; callbacks of an older connection are ignored. */
  private generation = 0;
  private connectedFlag = false;
  private everConnected = false;
  private stopped = false;
  private inflight: InFlight[] = [];
  private head = 0;
  /** Highest edge sequence known acknowledged with every lower one (or gone from the buffer). */
  private lowWater = 0;
  private flushedLowWater = 0;
  /** Highest edge sequence handed to the broker so far. */
  private cursor = 0;
  private highestSent = 0;
  /** Rows up to this id existed before the current connection came up (replayed when published). */
  private replayBoundary = 0;
  private backoffMs = 100;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pumpScheduled = false;
  private flushScheduled = false;
  private lastError: string | null = null;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly buffer: EventBuffer,
    private readonly config: UpstreamConfig,
    private readonly counters: EdgeCounters,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  get connected(): boolean {
    return this.connectedFlag;
  }

  get inflightCount(): number {
    return this.inflight.length - this.head;
  }

  get error(): string | null {
    return this.lastError;
  }

  /** Called after rows were appended: sends them if the window has room. */
  notify(): void {
    this.schedulePump();
  }

  /** Resolves once nothing is in flight and the buffer is empty (or `timeoutMs` passed). */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.idle()) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.drainWaiters = this.drainWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.drainWaiters.push(done);
    });
  }

  /** Stops sending, waits up to `graceMs` for in-flight PUBACKs, records them, disconnects. */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.connectedFlag && this.inflightCount > 0) {
      const deadline = Date.now() + graceMs;
      while (this.connectedFlag && this.inflightCount > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    this.flush();
    const client = this.client;
    this.dropConnection();
    if (client) await client.endAsync(true).catch(() => undefined);
  }

  private idle(): boolean {
    return this.inflightCount === 0 && this.buffer.depth() === 0;
  }

  private connect(): void {
    if (this.stopped) return;
    const gen = ++this.generation;
    const v5 = this.config.protocolVersion === 5;
    const client = mqtt.connect(this.config.url, {
      clientId: this.config.clientId,
      username: this.config.username,
      password: this.config.password,
      clean: false,
      protocolVersion: this.config.protocolVersion,
      // MQTT 5 ends a session when the connection closes unless an expiry is given.
      properties: v5 ? { sessionExpiryInterval: 7 * 24 * 3600 } : undefined,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: 30,
    });
    this.client = client;
    client.on('connect', () => {
      if (gen !== this.generation) return;
      this.connectedFlag = true;
      this.lastError = null;
      this.backoffMs = 100;
      if (this.everConnected) this.counters.reconnects++;
      this.everConnected = true;
      this.replayBoundary = this.buffer.lastId();
      this.log.info('upstream connected', { url: this.config.url, backlog: this.buffer.depth() });
      this.schedulePump();
    });
    client.on('error', (error) => {
      if (gen !== this.generation) return;
      this.lastError = error.message;
    });
    client.on('close', () => {
      if (gen !== this.generation) return;
      const was = this.connectedFlag;
      this.dropConnection();
      client.end(true);
      if (was) this.log.warn('upstream disconnected', { error: this.lastError, backlog: this.buffer.depth() });
      this.scheduleReconnect();
    });
  }

  /** Forgets the connection and its in-flight window; the next connection resends from lowWater. */
  private dropConnection(): void {
    this.generation++;
    this.connectedFlag = false;
    this.client?.removeAllListeners('connect');
    this.client = null;
    this.inflight = [];
    this.head = 0;
    this.cursor = this.lowWater;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.config.reconnectMaxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const client = this.client;
    if (!client || !this.connectedFlag || this.stopped) return;
    const gen = this.generation;
    const window = this.config.inflight;
    while (this.inflightCount < window) {
      const rows = this.buffer.readAfter(this.cursor, Math.min(READ_BATCH, window - this.inflightCount));
      if (rows.length === 0) break;
      for (const row of rows) {
        const entry: InFlight = { id: row.id, acked: false };
        this.inflight.push(entry);
        if (row.id <= this.highestSent) this.counters.resent++;
        else this.highestSent = row.id;
        client.publish(row.topic, row.payload, { qos: 1 }, (error) => this.onAck(gen, entry, error));
      }
      this.cursor = rows[rows.length - 1]!.id;
    }
    if (this.inflightCount === 0) this.notifyDrained();
  }

  private onAck(gen: number, entry: InFlight, error: Error | undefined): void {
    // An error here means the connection went away; the row is resent from the buffer.
    if (gen !== this.generation || error) return;
    entry.acked = true;
    this.counters.published++;
    if (entry.id <= this.replayBoundary) this.counters.replayed++;
    while (this.head < this.inflight.length && this.inflight[this.head]!.acked) {
      this.lowWater = this.inflight[this.head]!.id;
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.inflight.length) {
      this.inflight = this.inflight.slice(this.head);
      this.head = 0;
    }
    this.scheduleFlush();
    if (this.inflightCount <= this.config.inflight / 2) this.schedulePump();
  }

  /** Deletes acknowledged rows once per event-loop turn, so a burst of PUBACKs is one transaction. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.lowWater > this.flushedLowWater) {
      this.buffer.ackUpTo(this.lowWater);
      this.flushedLowWater = this.lowWater;
    }
    if (this.idle()) this.notifyDrained();
  }

  private notifyDrained(): void {
    if (!this.idle()) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}
