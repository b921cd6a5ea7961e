/**
 * One place that opens simulator MQTT connections: auto-reconnect, a unique client id, MQTT 3.1.1
 * so the same code talks to Mosquitto and to an embedded aedes (which refuses v5).
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

export interface SimMqttOptions {
  url: string;
  clientIdPrefix: string;
  reconnectPeriodMs?: number;
  will?: IClientOptions['will'];
}

export function connectSimMqtt(options: SimMqttOptions): MqttClient {
  const suffix = Math.random().toString(36).slice(2, 10);
  return connect(options.url, {
    clientId: `${options.clientIdPrefix}-${suffix}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: options.reconnectPeriodMs ?? 1000,
    connectTimeout: 10_000,
    will: options.will,
  });
}

/** Tracks in-flight publishes so `flush()` can wait for every PUBACK before shutdown. */
export class PublishTracker {
  readonly #pending = new Set<Promise<unknown>>();
  errors = 0;
  published = 0;

  track(promise: Promise<unknown>): void {
    const tracked = promise.then(
      () => {
        this.published += 1;
      },
      () => {
        this.errors += 1;
      },
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  /** Waits for outstanding acks, but not forever: a broker that went away must not block shutdown. */
  async flush(timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const drained = (async () => {
      while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    })();
    await Promise.race([drained, timeout]);
    clearTimeout(timer);
  }
}
