import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import type { Ingest } from '../ingest/ingest.js';
import type { EmbeddedBroker } from './broker.js';
import { INGEST_TOPICS, MqttDecoder } from './decode.js';
import { ingestMessage, newIntakeCounters, type Intake } from './intake-core.js';

/**
 * Kerf's subscriber when the broker is the embedded Aedes: an in-process subscription, so a
 * message is not encoded, sent over loopback, decoded and acknowledged a second time.
 *
 * Aedes sends a QoS 1 PUBACK before it hands the message to subscribers, but reads a device's
 * next chunk of packets only after every packet of the current chunk was delivered; delivery
 * calls back once the ingest queue holds the message and waits for room when the queue is full,
 * so a full queue holds the devices back instead of dropping. What is acknowledged ahead of the
 * queue (at most a socket read per device) is drained on stop: the devices are paused first.
 * The subscription is not a persistent MQTT session: Kerf and the broker live and die together,
 * and a restarted broker gets the subscription before it listens again.
 */

/** The parts of Aedes internals the drain reads: paused clients, and its message queue. */
interface AedesInternals {
  clients: Record<string, Client & { pause?: () => void }>;
  mq?: { length?: number; current?: number };
}

const DRAIN_TIMEOUT_MS = 5_000;
const MAX_SYNC_DEPTH = 100;
export class EmbeddedIntake implements Intake {
  readonly counters = newIntakeCounters();
  private readonly decoder = new MqttDecoder();
  private aedes: Aedes | undefined;
  private opened = 0;
  private detach: (() => void) | undefined;
  /** how deep delivery runs inside done(): Aedes delivers the next queued message from within it */
  private depth = 0;

  constructor(
    private readonly ingest: Ingest,
    private readonly broker: EmbeddedBroker,
    private readonly log: (msg: string) => void,
  ) {}

  async start(): Promise<void> {
    this.detach = this.broker.onOpen((aedes) => this.subscribe(aedes));
    const current = this.broker.instance;
    if (current) await this.subscribe(current);
  }

  private async subscribe(aedes: Aedes): Promise<void> {
    if (this.opened++ > 0) this.counters.reconnects++;
    this.aedes = aedes;
    await Promise.all(
      INGEST_TOPICS.map((topic) => new Promise<void>((resolve) => aedes.subscribe(topic, this.deliver, resolve))),
    );
  }

  private readonly deliver = (packet: AedesPublishPacket, done: () => void): void => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    ingestMessage(this.ingest, this.decoder, this.counters, packet.topic, payload, (cmd) => {
      this.aedes?.publish(
        {
          cmd: 'publish',
          topic: cmd.topic,
          payload: Buffer.from(cmd.payload),
          qos: cmd.qos,
          retain: false,
          dup: false,
        },
        (err) => {
          if (err) this.log(`mqtt: sending ${cmd.topic} failed: ${err.message}`);
        },
      );
    });
    if (this.ingest.hasRoom()) {
      // With thousands of messages queued in the broker (a slow database, a drain on stop), each
      // done() delivers the next one on the same stack: past a bound, continue on a fresh one,
      // or the process dies of a stack overflow with acknowledged messages in memory.
      if (this.depth >= MAX_SYNC_DEPTH) return queueMicrotask(done);
      this.depth++;
      try {
        return done();
      } finally {
        this.depth--;
      }
    }
    this.counters.paused++;
    this.ingest.whenRoom().then(
      () => done(),
      () => done(),
    );
  };

  /**
   * Pauses every device (no more packets read, so nothing more acknowledged), waits until what
   * Aedes already acknowledged has reached the ingest queue, then unsubscribes. Unsubscribing
   * first would leave the broker acknowledging messages that no subscriber takes.
   */
  async stop(): Promise<void> {
    this.detach?.();
    this.detach = undefined;
    const aedes = this.aedes;
    if (!aedes || aedes.closed) {
      this.aedes = undefined;
      return;
    }
    const internals = aedes as unknown as AedesInternals;
    const pause = (client: Client) => (client as Client & { pause?: () => void }).pause?.();
    for (const client of Object.values(internals.clients)) pause(client);
    // A device that connects meanwhile is held too.
    aedes.on('clientReady', pause);
    const end = Date.now() + DRAIN_TIMEOUT_MS;
    const busy = () => (internals.mq?.length ?? 0) > 0 || (internals.mq?.current ?? 0) > 0;
    while (busy() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    if (busy()) this.log('mqtt: stopping before every acknowledged message reached the ingest queue');
    this.aedes = undefined;
    await Promise.all(
      INGEST_TOPICS.map((topic) => new Promise<void>((resolve) => aedes.unsubscribe(topic, this.deliver, resolve))),
    );
  }
}
