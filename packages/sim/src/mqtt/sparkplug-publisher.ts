/**
 * A Sparkplug B edge node for simulated machines: one node, one device per machine. Births carry
 * every metric (including each alarm code the machine type can raise), data goes by alias only,
 * a machine going offline is a DDEATH and comes back with a DBIRTH, the NDEATH Will is renewed with the next bdSeq before every reconnect, and an NCMD rebirth
 * request re-sends all births.
 */
import {
  SparkplugNode,
  type SparkplugMessage,
  type SparkplugMetricDefinition,
  type SparkplugTypeName,
} from '@kerf/connectors';
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
  /** Latest value of every birth metric per machine, so a (re)birth reports what was last published. */
  readonly #values = new Map<string, Map<string, string | number | boolean>>();
  readonly #dead = new Set<string>();
  #clock: number;
  #born = false;
  #stopping = false;
  births = 0;

  constructor(options: SparkplugPublisherOptions) {
    this.#options = options;
    this.#machines = new Map(options.machines.map((m) => [m.spec.machineId, m]));
    for (const m of options.machines) {
      this.#values.set(m.spec.machineId, initialValues(m));
      if (m.snapshot().state === 'offline') this.#dead.add(m.spec.machineId);
    }
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
    // One DDATA per machine per instant, as report-by-exception intends.
    let batch: { machineId: string; at: number; values: Record<string, string | number | boolean> } | undefined;
    const flush = (): void => {
      if (batch && this.#born) {
        this.#clock = batch.at;
        this.#send(this.node.ddata(batch.machineId, batch.values));
      }
      batch = undefined;
    };
    for (const event of events) {
      const values = this.#values.get(event.machineId);
      if (!values) continue;
      const [name, value] = metricOf(event);
      values.set(name, value);
      if (batch && (batch.machineId !== event.machineId || batch.at !== event.at)) flush();
      // A machine that drops off the network is a dead device: DDEATH now, a fresh DBIRTH when it is back.
      if (event.type === 'state' && event.value === 'offline') {
        flush();
        if (this.#born && !this.#dead.has(event.machineId)) {
          this.#clock = event.at;
          this.#send(this.node.ddeath(event.machineId));
        }
        this.#dead.add(event.machineId);
        continue;
      }
      if (this.#dead.has(event.machineId)) {
        if (event.type !== 'state') continue; // the next birth carries it
        this.#dead.delete(event.machineId);
        if (this.#born) {
          this.#clock = event.at;
          this.#send(this.node.dbirth(event.machineId, this.#deviceMetrics(event.machineId)));
        }
        continue;
      }
      batch ??= { machineId: event.machineId, at: event.at, values: {} };
      batch.values[name] = value;
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
    for (const machineId of this.#machines.keys()) {
      if (!this.#dead.has(machineId)) this.#send(this.node.dbirth(machineId, this.#deviceMetrics(machineId)));
    }
    this.#born = true;
    this.births += 1;
  }

  #deviceMetrics(machineId: string): SparkplugMetricDefinition[] {
    const machine = this.#machines.get(machineId) as MachineModel;
    const values = this.#values.get(machineId) as Map<string, string | number | boolean>;
    const alarms = new Map(machine.profile.alarms.map((a) => [`Alarm/${a.code}`, a]));
    return [...values].map(([name, value]): SparkplugMetricDefinition => {
      const alarm = alarms.get(name);
      if (alarm) {
        return {
          name,
          type: 'Boolean',
          value,
          properties: {
            Message: { type: 'String', value: alarm.message },
            Severity: { type: 'String', value: alarm.severity },
          },
        };
      }
      return { name, type: METRIC_TYPES[name] ?? 'String', value };
    });
  }

  #send(message: SparkplugMessage): void {
    this.#tracker.track(
      this.client.publishAsync(message.topic, Buffer.from(message.payload), { qos: message.qos, retain: false }),
    );
  }
}

const METRIC_TYPES: Readonly<Record<string, SparkplugTypeName>> = {
  State: 'String',
  PartCount: 'UInt64',
  CycleTime: 'Double',
  Program: 'String',
};

function metricOf(event: SimEvent): [string, string | number | boolean] {
  switch (event.type) {
    case 'state':
      return ['State', event.value];
    case 'part_count':
      return ['PartCount', event.value];
    case 'cycle_time':
      return ['CycleTime', event.value];
    case 'program':
      return ['Program', event.value];
    case 'alarm':
      return [`Alarm/${event.value.code}`, event.value.active];
  }
}

/** Birth values of a machine: every metric it can ever report (each alarm code of its type). */
function initialValues(machine: MachineModel): Map<string, string | number | boolean> {
  const snap = machine.snapshot();
  const values = new Map<string, string | number | boolean>([
    ['State', snap.state],
    ['PartCount', snap.partCount],
    ['CycleTime', snap.cycleTime],
    ['Program', snap.program],
  ]);
  for (const alarm of machine.profile.alarms) {
    values.set(`Alarm/${alarm.code}`, snap.alarm?.code === alarm.code && snap.alarm.active);
  }
  return values;
}
