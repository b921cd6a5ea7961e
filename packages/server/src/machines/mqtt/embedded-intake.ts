import type { Aedes, AedesPublishPacket } from 'aedes';
import type { Ingest } from '../ingest/ingest.js';
import type { EmbeddedBroker } from './broker.js';
import { INGEST_TOPICS, MqttDecoder } from './decode.js';
import { ingestMessage, newIntakeCounters, type Intake } from './intake-core.js';

/**
 * Kerf's subscriber when the broker is the embedded Aedes: an in-process subscription, so a
 * message is not encoded, sent over loopback, decoded and acknowledged a second time.
 *
 * Aedes acknowledges a device's QoS 1 publish (and reads that device's next packets) only after
 * every subscriber called back; the callback comes once the ingest queue holds the message, and
 * waits for room when the queue is full, so a full queue holds the devices back instead of
 * dropping. The subscription is not a persistent MQTT session: Kerf and the broker live and die
 * together, and a restarted broker gets the subscription before it listens again.
 */
export class EmbeddedIntake implements Intake {
  readonly counters = newIntakeCounters();
  private readonly decoder = new MqttDecoder();
  private aedes: Aedes | undefined;
  private opened = 0;
  private detach: (() => void) | undefined;

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
    if (this.ingest.hasRoom()) return done();
    this.counters.paused++;
    this.ingest.whenRoom().then(
      () => done(),
      () => done(),
    );
  };

  /** Unsubscribes; delivered messages stay in the ingest queue for its drain. */
  async stop(): Promise<void> {
    this.detach?.();
    this.detach = undefined;
    const aedes = this.aedes;
    this.aedes = undefined;
    if (!aedes || aedes.closed) return;
    await Promise.all(
      INGEST_TOPICS.map((topic) => new Promise<void>((resolve) => aedes.unsubscribe(topic, this.deliver, resolve))),
    );
  }
}
