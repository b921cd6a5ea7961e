import { Redis } from 'ioredis';
import type { EventEnvelope, EventFanout } from './events.js';

const CHANNEL = 'kerf:events';

/**
 * Carries events between Kerf instances over Redis pub/sub (REDIS_URL). Every instance
 * subscribes; the bus drops its own envelopes and, by outbox id, any durable event it saw.
 * Pub/sub keeps nothing for an instance that is away: durable facts are in the database, and a
 * screen that reconnects reloads them.
 */
export class RedisFanout implements EventFanout {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(url: string) {
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(url, { lazyConnect: true });
  }

  async start(receive: (envelope: EventEnvelope) => void): Promise<void> {
    await this.publisher.connect();
    await this.subscriber.connect();
    await this.subscriber.subscribe(CHANNEL);
    this.subscriber.on('message', (_channel: string, raw: string) => {
      let envelope: EventEnvelope;
      try {
        envelope = JSON.parse(raw) as EventEnvelope;
      } catch {
        return; // not ours
      }
      if (envelope && typeof envelope === 'object' && envelope.event) receive(envelope);
    });
  }

  async send(envelope: EventEnvelope): Promise<void> {
    await this.publisher.publish(CHANNEL, JSON.stringify(envelope));
  }

  async stop(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
