import { decodeShopfloorMessage, isCodecError } from '@kerf/connectors';
import mqtt from 'mqtt';
import type { MqttLocalMachine } from '../config.js';
import { SourceStatusTracker, type EventSink, type Source, type SourceStatus } from '../source.js';

/**
 * Subscribes to a local broker (a machine's own MQTT output or a PLC bridge) in the
 * shopfloor/{dept}/{machine}/{metric} scheme at QoS 1 on a persistent session. The PUBACK for each
 * message is sent only after the event is in the disk buffer (mqtt.js sends it when handleMessage
 * calls back), so a gateway killed mid-stream gets the unacknowledged messages again from the broker.
 */
export class MqttLocalSource implements Source {
  readonly protocol = 'mqtt-local';
  readonly id: string;
  readonly department: string;
  private client: mqtt.MqttClient | null = null;
  private readonly tracker: SourceStatusTracker;

  constructor(
    private readonly machine: MqttLocalMachine,
    private readonly clientId: string,
  ) {
    this.id = machine.id;
    this.department = machine.department;
    this.tracker = new SourceStatusTracker(machine.id, this.protocol);
  }

  start(sink: EventSink): Promise<void> {
    const client = mqtt.connect(this.machine.url, {
      clientId: this.clientId,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    this.client = client;
    client.handleMessage = (packet, callback) => {
      try {
        const payload = typeof packet.payload === 'string' ? packet.payload : new Uint8Array(packet.payload);
        const event = decodeShopfloorMessage(packet.topic, payload);
        sink.deliver([event]);
        this.tracker.delivered(1);
      } catch (error) {
        // A message no codec can read is counted and acknowledged: redelivering it would block the stream.
        if (!isCodecError(error)) {
          callback(error as Error);
          return;
        }
        sink.reject(this.id, `${packet.topic}: ${error.message}`);
      }
      callback();
    };
    client.on('connect', (connack) => {
      this.tracker.state = 'connected';
      this.tracker.error = null;
      // A resumed session keeps its subscription; subscribing again is harmless and covers a broker that lost it.
      if (!connack.sessionPresent) {
        client.subscribe(this.machine.topic, { qos: 1 }, (error) => {
          if (error) this.tracker.error = `subscribe ${this.machine.topic}: ${error.message}`;
        });
      }
    });
    client.on('error', (error) => {
      this.tracker.error = error.message;
    });
    client.on('close', () => {
      if (this.tracker.state !== 'stopped') this.tracker.state = 'disconnected';
    });
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.tracker.state = 'stopped';
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync();
  }

  status(): SourceStatus {
    return this.tracker.snapshot();
  }
}
