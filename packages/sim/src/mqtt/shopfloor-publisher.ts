/**
 * Publishes simulated machines on Kerf's plain MQTT convention (shopfloor/{dept}/{machine}/{metric},
 * QoS 1) through the shared codec, so the simulator can only send what the server accepts.
 */
import { encodeShopfloorMessage } from '@kerf/connectors';
import type { MqttClient } from 'mqtt';
import type { SimEvent } from '../model/index.js';
import { connectSimMqtt, PublishTracker } from './mqtt-connection.js';
import { toMachineEvent } from './sim-events.js';

export interface ShopfloorPublisherOptions {
  url: string;
  /** machineId -> department for the machines this publisher owns. */
  departments: ReadonlyMap<string, string>;
  /** Stream id; pick a new one per run so sequences of an old run never collide. */
  source: string;
  reconnectPeriodMs?: number;
}

export class ShopfloorPublisher {
  readonly client: MqttClient;
  readonly #options: ShopfloorPublisherOptions;
  readonly #sequences = new Map<string, number>();
  readonly #tracker = new PublishTracker();

  constructor(options: ShopfloorPublisherOptions) {
    this.#options = options;
    this.client = connectSimMqtt({
      url: options.url,
      clientIdPrefix: 'kerf-sim-shopfloor',
      reconnectPeriodMs: options.reconnectPeriodMs,
    });
    // Errors surface as reconnects; without a listener an 'error' event would crash the process.
    this.client.on('error', () => undefined);
  }

  get published(): number {
    return this.#tracker.published;
  }

  owns(machineId: string): boolean {
    return this.#options.departments.has(machineId);
  }

  /** Queues the events (mqtt.js buffers while disconnected and resends QoS 1 after reconnect). */
  publish(events: readonly SimEvent[]): void {
    for (const event of events) {
      const department = this.#options.departments.get(event.machineId);
      if (department === undefined) continue;
      const sequence = (this.#sequences.get(event.machineId) ?? 0) + 1;
      this.#sequences.set(event.machineId, sequence);
      const { topic, payload } = encodeShopfloorMessage(
        toMachineEvent(event, this.#options.source, sequence),
        department,
      );
      this.#tracker.track(this.client.publishAsync(topic, payload, { qos: 1 }));
    }
  }

  async stop(): Promise<void> {
    if (this.client.connected) await this.#tracker.flush();
    await this.client.endAsync(!this.client.connected);
  }
}
