import type { SparkplugMessage } from '@kerf/connectors';
import type { Ingest } from '../ingest/ingest.js';
import type { MqttDecoder } from './decode.js';

export interface IntakeCounters {
  messages: number;
  /** times intake waited for room in the ingest queue (QoS 1 acks held back) */
  paused: number;
  /** reconnects to MQTT_URL, or re-subscriptions on a restarted embedded broker */
  reconnects: number;
  commandsSent: number;
}

/** What the runtime holds: the MQTT_URL client or the in-process subscriber of the embedded broker. */
export interface Intake {
  readonly counters: IntakeCounters;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const newIntakeCounters = (): IntakeCounters => ({ messages: 0, paused: 0, reconnects: 0, commandsSent: 0 });

/**
 * Decodes one message into the ingest queue and sends Sparkplug rebirth requests back. The caller
 * has checked for room before; a Sparkplug DDATA may overshoot a little.
 */
export function ingestMessage(
  ingest: Ingest,
  decoder: MqttDecoder,
  counters: IntakeCounters,
  topic: string,
  payload: Buffer,
  send: (cmd: SparkplugMessage) => void,
  username?: string,
): void {
  counters.messages++;
  const decoded = decoder.decode(topic, payload);
  if (decoded.problem) {
    ingest.reject('bad_payload', {
      message: decoded.problem,
      device: username ?? publisherOf(topic),
      topic,
      ...(topic.startsWith('shopfloor/') && topic.split('/')[2] ? { machine: topic.split('/')[2] } : {}),
    });
  } else if (decoded.events.length > 0) {
    ingest.submit(decoded.events, { overshoot: true, origin: { topic, ...(username ? { username } : {}) } });
  }
  for (const cmd of decoded.commands) {
    counters.commandsSent++;
    send(cmd);
  }
}

/**
 * Who published, read from the topic when the intake does not know the MQTT username: a device
 * may only publish under its own prefixes, so `shopfloor/{dept}/{machine}` or
 * `spBv1.0/{group}/{edge node}` names it.
 */
export function publisherOf(topic: string): string {
  const parts = topic.split('/');
  if (parts[0] === 'spBv1.0') return parts.slice(0, 2).concat(parts.slice(3, 4)).join('/');
  return parts.slice(0, 3).join('/');
}
