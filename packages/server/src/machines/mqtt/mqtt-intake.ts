import mqtt, { type MqttClient } from 'mqtt';
import type { Ingest } from '../ingest/ingest.js';
import { INGEST_TOPICS, MqttDecoder } from './decode.js';
import { ingestMessage, newIntakeCounters, type Intake } from './intake-core.js';

export interface IntakeOptions {
  url: string;
  /** fixed client id: the broker keeps this persistent session while Kerf is away */
  clientId: string;
  username?: string;
  password?: string;
  log: (msg: string) => void;
}

/**
 * Kerf's subscriber to an external broker (MQTT_URL; the embedded broker uses EmbeddedIntake): QoS 1, persistent session (clean=false, MQTT 3.1.1 so it works with Aedes
 * and Mosquitto alike). A message is acknowledged once the ingest queue holds it; when the queue
 * is full the acknowledgement (and reading the socket) waits, so the broker keeps the message.
 * A graceful stop writes the queue before Kerf exits; a crash can lose what was queued (bounded
 * by the queue size) - see docs/machines.md.
 */
export class MqttIntake implements Intake {
  readonly counters = newIntakeCounters();
  private client: MqttClient | undefined;
  private readonly decoder = new MqttDecoder();

  constructor(
    private readonly ingest: Ingest,
    private readonly options: IntakeOptions,
  ) {}

  async start(): Promise<void> {
    const { url, clientId, username, password } = this.options;
    const client = mqtt.connect(url, {
      clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 250,
      connectTimeout: 5_000,
      keepalive: 30,
      resubscribe: true,
      ...(username ? { username, password } : {}),
    });
    this.client = client;
    client.handleMessage = (packet, done) => {
      this.onMessage(packet.topic, packet.payload as Buffer);
      if (this.ingest.hasRoom()) return done();
      this.counters.paused++;
      this.ingest.whenRoom().then(
        () => done(),
        () => done(),
      );
    };
    client.on('reconnect', () => this.counters.reconnects++);
    client.on('connect', (connack) => {
      // A persistent session keeps our subscriptions; a new one (first start, broker lost its
      // state) needs them again.
      if (!connack.sessionPresent) {
        client.subscribe(INGEST_TOPICS, { qos: 1 }, (err) => {
          if (err) this.options.log(`mqtt: subscribe failed: ${err.message}`);
        });
      }
    });
    client.on('error', (err) => this.options.log(`mqtt: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        client.off('connect', onConnect);
        client.end(true);
        reject(new Error(`cannot connect to the MQTT broker at ${url}: ${err.message}`));
      };
      const onConnect = () => {
        client.off('error', onError);
        resolve();
      };
      client.once('connect', onConnect);
      client.once('error', onError);
    });
    // Wait until the subscription is in place (a fresh session subscribes on connect).
    await new Promise<void>((resolve) => client.subscribe(INGEST_TOPICS, { qos: 1 }, () => resolve()));
  }

  private onMessage(topic: string, payload: Buffer): void {
    ingestMessage(this.ingest, this.decoder, this.counters, topic, payload, (cmd) => {
      this.client?.publish(cmd.topic, Buffer.from(cmd.payload), { qos: cmd.qos, retain: false });
    });
  }

  /** Stops reading; acknowledged messages stay in the ingest queue for its drain. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(false);
  }
}
