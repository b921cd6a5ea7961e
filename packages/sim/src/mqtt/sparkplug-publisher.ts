/**
 * A Sparkplug B edge node for simulated machines: one node, one device per machine. Births carry
 * every metric (including each alarm code the machine type can raise), data goes by alias only,
 * the NDEATH Will is renewed with the next bdSeq before every reconnect, and an NCMD rebirth
 * request re-sends all births.
 */
import { SparkplugNode, type SparkplugMessage, type SparkplugMetricDefinition } from '@kerf/connectors';
import type { MqttClient } from 'mqtt';
import type { MachineModel, SimEvent } from '../model/index.js';
import { connectSimMqtt, PublishTracker } from './mqtt-connection.js';

export interface SparkplugPublisherOptions {
  url: string;
  groupId: string;
  edgeNodeId: string;
  machines: readonly MachineModel[];
  /** Simulated "now" for birth timestamps. */
  simNow: () => number;
  reconnectPeriodMs?: number;
}

type Will = { topic: string; payload: Buffer; qos: 0 | 1; retain: boolean };

function asWill(message: SparkplugMessage): Will {
  return { topic: message.topic, payload: Buffer.from(message.payload), qos: message.qos, retain: false };
}

export class SparkplugPublisher {
  readonly client: MqttClient;
  readonly node: SparkplugNode;
  readonly #options: SparkplugPublisherOptions;
  readonly #machines: Map<string, MachineModel>;
  readonly #tracker = new PublishTracker();
  #clock: number;
  #born = false;
  #stopping = false;
  births = 0;

  constructor(options: SparkplugPublisherOptions) {
    this.#options = options;
    this.#machines = new Map(options.machines.map((m) => [m.spec.machineId, m]));
    this.#clock = options.simNow();
    this.node = new SparkplugNode({ groupId: options.groupId, edgeNodeId: options.edgeNodeId, now: () => this.#clock });
    this.client = connectSimMqtt({
      url: options.url,
      clientIdPrefix: `kerf-sim-spb-${options.edgeNodeId}`,
      reconnectPeriodMs: options.reconnectPeriodMs,
      will: asWill(this.node.will()),
    });
    this.client.on('error', () => undefined);
    this.client.on('connect', () => {
      this.client.subscribe(this.node.commandSubscription(), { qos: 0 }, () => this.#birth());
    });
    this.client.on('close', () => {
      this.#born = false;
    });
    // Every new CONNECT is a new session: the Will must carry the next bdSeq (PROTOCOLS.md 4.2).
    this.client.on('reconnect', () => {
      this.node.nextConnection();
      this.client.options.will = asWill(this.node.will());
    });
    this.client.on('message', (topic, payload) => {
      if (this.node.isRebirthRequest(topic, payload)) this.#birth();
    });
  }

  get born(): boolean {
    return this.#born;
  }

  get published(): number {
    return this.#tracker.published;
  }

  owns(machineId: string): boolean {
    return this.#machines.has(machineId);
  }

  publish(events: readonly SimEvent[]): void {
    if (!this.#born) return; // the next birth carries the current values anyway
    // One DDATA per machine per instant, as report-by-exception intends.
    let batch: { machineId: string; at: number; values: Record<string, string | number | boolean> } | undefined;
    const flush = (): void => {
      if (!batch) return;
      this.#clock = batch.at;
      this.#send(this.node.ddata(batch.machineId, batch.values));
      batch = undefined;
    };
    for (const event of events) {
      if (!this.#machines.has(event.machineId)) continue;
      if (batch && (batch.machineId !== event.machineId || batch.at !== event.at)) flush();
      batch ??= { machineId: event.machineId, at: event.at, values: {} };
      switch (event.type) {
        case 'state':
          batch.values.State = event.value;
          break;
        case 'part_count':
          batch.values.PartCount = event.value;
          break;
        case 'cycle_time':
          batch.values.CycleTime = event.value;
          break;
        case 'program':
          batch.values.Program = event.value;
          break;
        case 'alarm':
          batch.values[`Alarm/${event.value.code}`] = event.value.active;
          break;
      }
    }
    flush();
  }

  /** Simulates a crash: the socket dies without DISCONNECT, so the broker publishes the Will. */
  destroyConnection(): void {
    this.client.stream.destroy();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.client.connected) {
      // A clean DISCONNECT suppresses the Will, so say goodbye explicitly.
      this.#send(this.node.will());
      await this.#tracker.flush();
    }
    await this.client.endAsync(!this.client.connected);
  }

  #birth(): void {
    if (this.#stopping || !this.client.connected) return;
    this.#clock = this.#options.simNow();
    this.#send(this.node.nbirth());
    for (const machine of this.#machines.values()) {
      this.#send(this.node.dbirth(machine.spec.machineId, deviceMetrics(machine)));
    }
    this.#born = true;
    this.births += 1;
  }

  #send(message: SparkplugMessage): void {
    this.#tracker.track(
      this.client.publishAsync(message.topic, Buffer.from(message.payload), { qos: message.qos, retain: false }),
    );
  }
}

function deviceMetrics(machine: MachineModel): SparkplugMetricDefinition[] {
  const snap = machine.snapshot();
  return [
    { name: 'State', type: 'String', value: snap.state },
    { name: 'PartCount', type: 'UInt64', value: snap.partCount },
    { name: 'CycleTime', type: 'Double', value: snap.cycleTime },
    { name: 'Program', type: 'String', value: snap.program },
    ...machine.profile.alarms.map((alarm): SparkplugMetricDefinition => ({
      name: `Alarm/${alarm.code}`,
      type: 'Boolean',
      value: snap.alarm?.code === alarm.code && snap.alarm.active,
      properties: {
        Message: { type: 'String', value: alarm.message },
        Severity: { type: 'String', value: alarm.severity },
      },
    })),
  ];
}
