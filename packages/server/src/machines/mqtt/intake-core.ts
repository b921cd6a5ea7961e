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
): void {
  counters.messages++;
  const decoded = decoder.decode(topic, payload);
  if (decoded.problem) {
    ingest.reject('bad_payload');
  } else if (decoded.events.length > 0) {
    ingest.submit(decoded.events, { overshoot: true });
  }
  for (const cmd of decoded.commands) {
    counters.commandsSent++;
    send(cmd);
  }
}
