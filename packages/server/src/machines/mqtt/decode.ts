import {
  CodecError,
  decodeShopfloorMessage,
  SparkplugHost,
  type MachineEvent,
  type SparkplugMessage,
} from '@kerf/connectors';

export interface Decoded {
  events: MachineEvent[];
  /** Sparkplug rebirth requests to publish back to edge nodes */
  commands: SparkplugMessage[];
  /** why the message was refused; undefined when it was machine data (or not ours) */
  problem?: string;
}

/** Topics Kerf ingests, subscribed at QoS 1. */
export const INGEST_TOPICS = ['shopfloor/#', 'spBv1.0/#'];

/**
 * Turns one MQTT message into MachineEvents: plain `shopfloor/...` JSON with the shared codec,
 * Sparkplug B through a host that keeps each edge node's session (births, aliases, seq).
 */
export class MqttDecoder {
  private readonly sparkplug = new SparkplugHost();

  decode(topic: string, payload: Uint8Array, receivedAt = new Date()): Decoded {
    if (topic.startsWith('shopfloor/')) {
      try {
        return { events: [decodeShopfloorMessage(topic, payload, receivedAt)], commands: [] };
      } catch (err) {
        if (err instanceof CodecError) return { events: [], commands: [], problem: err.message };
        throw err;
      }
    }
    if (topic.startsWith('spBv1.0/')) {
      const r = this.sparkplug.handle(topic, payload, receivedAt);
      const problem =
        r.events.length === 0 && r.errors.length > 0 ? r.errors.map((e) => e.message).join('; ') : undefined;
      return { events: r.events, commands: r.commands, ...(problem ? { problem } : {}) };
    }
    return { events: [], commands: [] };
  }
}
