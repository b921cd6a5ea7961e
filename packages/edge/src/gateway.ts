import { encodeShopfloorMessage, type MachineEvent } from '@kerf/connectors';
import { EventBuffer, type BufferedMessage } from './buffer.js';
import type { EdgeConfig } from './config.js';
import { startHealthServer, type HealthReport, type HealthServer } from './health.js';
import { jsonLogger, type Logger } from './log.js';
import { EdgeCounters, renderPrometheus } from './metrics.js';
import { UpstreamPublisher } from './publisher.js';
import type { EventSink, Source } from './source.js';
import { createSources } from './sources/create.js';

export interface GatewayOptions {
  config: EdgeConfig;
  /** Replaces the sources built from `config.machines` (tests and embedding). */
  sources?: Source[];
  log?: Logger;
  /** Milliseconds between compaction steps once the backlog is empty; 0 turns it off. */
  compactIntervalMs?: number;
}

/** Backlog under which the buffer counts as drained: live traffic, not a replay. */
const COMPACT_BELOW_DEPTH = 10_000;
/** Drop warnings are summarised at most this often so a full buffer does not flood the log. */
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * The edge gateway: sources -> disk buffer -> upstream publisher, plus /health and /metrics.
 * Every event is encoded to its upstream topic and payload before it is stored, so a row is
 * published byte for byte as it was buffered, however often it is resent.
 */
export class EdgeGateway {
  readonly counters = new EdgeCounters();
  readonly buffer: EventBuffer;
  readonly publisher: UpstreamPublisher;
  private readonly sources: Source[];
  private readonly log: Logger;
  private health: HealthServer | null = null;
  private compactTimer: NodeJS.Timeout | null = null;
  private lastDropLog = 0;
  private dropsSinceLog = 0;

  private constructor(
    readonly config: EdgeConfig,
    options: GatewayOptions,
  ) {
    this.log = options.log ?? jsonLogger();
    this.buffer = EventBuffer.open(config.buffer);
    this.publisher = new UpstreamPublisher(this.buffer, config.upstream, this.counters, this.log);
    this.sources = options.sources ?? createSources(config, this.log);
  }

  static async start(options: GatewayOptions): Promise<EdgeGateway> {
    const gateway = new EdgeGateway(options.config, options);
    await gateway.run(options.compactIntervalMs ?? 5_000);
    return gateway;
  }

  private async run(compactIntervalMs: number): Promise<void> {
    const { config } = this;
    this.log.info('edge gateway starting', {
      gatewayId: config.gatewayId,
      buffer: config.buffer.path,
      backlog: this.buffer.depth(),
      fullPolicy: config.buffer.fullPolicy,
      maxEvents: config.buffer.maxEvents,
      maxBytes: config.buffer.maxBytes,
      machines: this.sources.length,
    });
    this.health = await startHealthServer(config.healthPort, {
      health: () => this.healthReport(),
      metrics: () => this.metricsText(),
    });
    this.publisher.start();
    for (const source of this.sources) await source.start(this.sinkFor(source));
    if (compactIntervalMs > 0) {
      this.compactTimer = setInterval(() => this.compactWhenIdle(), compactIntervalMs);
      this.compactTimer.unref();
    }
    this.log.info('edge gateway running', { healthPort: this.health.port });
  }

  get healthPort(): number {
    return this.health?.port ?? 0;
  }

  private sinkFor(source: Source): EventSink {
    return {
      deliver: (events) => this.accept(events, source.department),
      reject: (sourceId, reason) => {
        this.counters.received++;
        this.counters.rejected++;
        this.log.warn('source message rejected', { source: sourceId, reason });
      },
    };
  }

  private accept(events: readonly MachineEvent[], department: string): void {
    const now = Date.now();
    const messages: BufferedMessage[] = [];
    this.counters.received += events.length;
    for (const event of events) {
      try {
        const { topic, payload } = encodeShopfloorMessage(event, department);
        messages.push({ topic, payload, receivedAt: now });
      } catch (error) {
        this.counters.rejected++;
        this.log.warn('event cannot be encoded', { machineId: event.machineId, error: (error as Error).message });
      }
    }
    const result = this.buffer.append(messages);
    this.counters.buffered += result.accepted;
    this.counters.droppedOldest += result.droppedOldest;
    this.counters.droppedIntake += result.rejected;
    if (result.droppedOldest > 0 || result.rejected > 0) this.logDrops(result.droppedOldest + result.rejected);
    if (result.accepted > 0) this.publisher.notify();
  }

  private logDrops(count: number): void {
    this.dropsSinceLog += count;
    const now = Date.now();
    if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
    this.log.warn('buffer full: events dropped', {
      policy: this.config.buffer.fullPolicy,
      dropped: this.dropsSinceLog,
      droppedOldestTotal: this.counters.droppedOldest,
      droppedIntakeTotal: this.counters.droppedIntake,
      backlog: this.buffer.depth(),
    });
    this.lastDropLog = now;
    this.dropsSinceLog = 0;
  }

  /**
   * Gives free pages back to the disk once a backlog has drained (during an outage they are reused
   * by new rows instead). Steps of 2048 pages (8 MB) for at most ~50 ms per tick: a drained 24 h
   * backlog (~0.5 GB) is returned within a few minutes without holding up intake.
   */
  private compactWhenIdle(): void {
    const until = performance.now() + 50;
    const drained = (): boolean => this.publisher.connected && this.buffer.depth() < COMPACT_BELOW_DEPTH;
    while (drained() && this.buffer.compact(2048) > 0 && performance.now() < until);
  }

  healthReport(): HealthReport {
    const oldest = this.buffer.oldestReceivedAt();
    const sources = this.sources.map((s) => s.status());
    const connected = this.publisher.connected;
    const sourcesUp = sources.every((s) => s.state === 'connected');
    return {
      status: connected && sourcesUp ? 'ok' : 'degraded',
      gatewayId: this.config.gatewayId,
      upstream: { url: redact(this.config.upstream.url), connected, error: this.publisher.error },
      buffer: {
        depth: this.buffer.depth(),
        inflight: this.publisher.inflightCount,
        oldestAgeSeconds: oldest === null ? null : Math.max(0, (Date.now() - oldest) / 1000),
        diskBytes: this.buffer.diskBytes(),
        fullPolicy: this.config.buffer.fullPolicy,
      },
      counters: { ...this.counters },
      sources,
    };
  }

  metricsText(): string {
    const oldest = this.buffer.oldestReceivedAt();
    return renderPrometheus(this.config.gatewayId, this.counters, {
      backlog: this.buffer.depth(),
      diskBytes: this.buffer.diskBytes(),
      inflight: this.publisher.inflightCount,
      upstreamConnected: this.publisher.connected,
      oldestAgeSeconds: oldest === null ? null : Math.max(0, (Date.now() - oldest) / 1000),
    });
  }

  /** Stops intake, lets in-flight publishes finish for up to `graceMs`, and closes the buffer. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.compactTimer) clearInterval(this.compactTimer);
    for (const source of this.sources) {
      await source.stop().catch((error: unknown) => this.log.warn('source stop failed', { error: String(error) }));
    }
    await this.publisher.stop(graceMs);
    await this.health?.close();
    this.buffer.close();
    this.log.info('edge gateway stopped', { counters: { ...this.counters } });
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
