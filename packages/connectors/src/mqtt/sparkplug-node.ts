/**
 * Edge-node side of Sparkplug B as a pure message factory (no socket): the simulator and tests
 * use it to produce NBIRTH/DBIRTH/NDATA/DDATA/DDEATH with the right seq/bdSeq and aliases, plus
 * the NDEATH to register as MQTT Will. Session rules: PROTOCOLS.md 4.2.
 */
import { CodecError } from '../codec-error.js';
import {
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  type SparkplugMetricInput,
  type SparkplugTypeName,
  type SparkplugValue,
} from './sparkplug-payload.js';
import { formatSparkplugTopic, parseSparkplugTopic } from './sparkplug-topic.js';

export const SPARKPLUG_REBIRTH_METRIC = 'Node Control/Rebirth';
export const SPARKPLUG_BDSEQ_METRIC = 'bdSeq';

export interface SparkplugMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1;
  retain: false;
}

export interface SparkplugMetricDefinition {
  name: string;
  type: SparkplugTypeName;
  value: SparkplugValue;
  properties?: SparkplugMetricInput['properties'];
}

interface Known {
  alias: number;
  type: SparkplugTypeName;
}

export interface SparkplugNodeOptions {
  groupId: string;
  edgeNodeId: string;
  /** bdSeq of the first MQTT connection (0..255); `nextConnection()` advances it. */
  bdSeq?: number;
  /** Clock for payload timestamps; tests pass a fixed one. */
  now?: () => number;
}

export class SparkplugNode {
  readonly groupId: string;
  readonly edgeNodeId: string;
  #bdSeq: number;
  #seq = -1;
  #nextAlias = 1;
  readonly #now: () => number;
  readonly #nodeMetrics = new Map<string, Known>();
  readonly #deviceMetrics = new Map<string, Map<string, Known>>();

  constructor(options: SparkplugNodeOptions) {
    formatSparkplugTopic({ type: 'NBIRTH', groupId: options.groupId, edgeNodeId: options.edgeNodeId });
    const bdSeq = options.bdSeq ?? 0;
    if (!Number.isInteger(bdSeq) || bdSeq < 0 || bdSeq > 255) throw new CodecError('bdSeq', 'must be 0..255');
    this.groupId = options.groupId;
    this.edgeNodeId = options.edgeNodeId;
    this.#bdSeq = bdSeq;
    this.#now = options.now ?? Date.now;
  }

  get bdSeq(): number {
    return this.#bdSeq;
  }

  /** The seq of the last message produced (-1 before the first NBIRTH). */
  get seq(): number {
    return this.#seq;
  }

  /** Call before every MQTT reconnect: a new connection is a new session with the next bdSeq. */
  nextConnection(): void {
    this.#bdSeq = (this.#bdSeq + 1) % 256;
    this.#seq = -1;
  }

  /** The NDEATH to register as the CONNECT Will (QoS 1 as Sparkplug 3.0 asks). */
  will(): SparkplugMessage {
    return {
      topic: this.#topic('NDEATH'),
      payload: encodeSparkplugPayload({
        timestamp: this.#now(),
        metrics: [{ name: SPARKPLUG_BDSEQ_METRIC, type: 'UInt64', value: this.#bdSeq }],
      }),
      qos: 1,
      retain: false,
    };
  }

  /** NBIRTH with seq 0, bdSeq and the rebirth control; node-level metrics get their aliases here. */
  nbirth(metrics: SparkplugMetricDefinition[] = []): SparkplugMessage {
    this.#seq = -1;
    this.#nodeMetrics.clear();
    this.#deviceMetrics.clear();
    const defined = metrics.map((metric) => this.#define(this.#nodeMetrics, metric));
    return this.#message('NBIRTH', undefined, [
      { name: SPARKPLUG_BDSEQ_METRIC, type: 'UInt64', value: this.#bdSeq },
      { name: SPARKPLUG_REBIRTH_METRIC, type: 'Boolean', value: false },
      ...defined,
    ]);
  }

  dbirth(deviceId: string, metrics: SparkplugMetricDefinition[]): SparkplugMessage {
    this.#requireBirth();
    const known = new Map<string, Known>();
    this.#deviceMetrics.set(deviceId, known);
    return this.#message(
      'DBIRTH',
      deviceId,
      metrics.map((metric) => this.#define(known, metric)),
    );
  }

  /** Report-by-exception data: only the metrics passed, by alias, without name or datatype. */
  ndata(values: Record<string, SparkplugValue>): SparkplugMessage {
    this.#requireBirth();
    return this.#message('NDATA', undefined, this.#data(this.#nodeMetrics, values, 'node'));
  }

  ddata(deviceId: string, values: Record<string, SparkplugValue>): SparkplugMessage {
    this.#requireBirth();
    const known = this.#deviceMetrics.get(deviceId);
    if (!known) throw new CodecError('deviceId', `"${deviceId}" has no DBIRTH in this session`);
    return this.#message('DDATA', deviceId, this.#data(known, values, deviceId));
  }

  ddeath(deviceId: string): SparkplugMessage {
    this.#requireBirth();
    this.#deviceMetrics.delete(deviceId);
    return this.#message('DDEATH', deviceId, []);
  }

  /** True when an NCMD asks this node to rebirth. */
  isRebirthRequest(topic: string, payload: Uint8Array): boolean {
    const parsed = parseSparkplugTopic(topic);
    if (!parsed || parsed.type !== 'NCMD' || parsed.groupId !== this.groupId || parsed.edgeNodeId !== this.edgeNodeId) {
      return false;
    }
    try {
      return decodeSparkplugPayload(payload).metrics.some(
        (m) => m.name === SPARKPLUG_REBIRTH_METRIC && m.value === true,
      );
    } catch {
      return false;
    }
  }

  /** Topic filter the node subscribes to for commands. */
  commandSubscription(): string[] {
    return [this.#topic('NCMD'), `spBv1.0/${this.groupId}/DCMD/${this.edgeNodeId}/+`];
  }

  #requireBirth(): void {
    if (this.#seq < 0) throw new CodecError('seq', 'publish the NBIRTH of this connection first');
  }

  #define(known: Map<string, Known>, metric: SparkplugMetricDefinition): SparkplugMetricInput {
    const alias = this.#nextAlias++;
    known.set(metric.name, { alias, type: metric.type });
    return { name: metric.name, alias, type: metric.type, value: metric.value, properties: metric.properties };
  }

  #data(known: Map<string, Known>, values: Record<string, SparkplugValue>, owner: string): SparkplugMetricInput[] {
    const timestamp = this.#now();
    return Object.entries(values).map(([name, value]) => {
      const k = known.get(name);
      if (!k) throw new CodecError(`metrics.${name}`, `was not in the birth of ${owner}; a rebirth must add it`);
      return { alias: k.alias, type: k.type, sendDatatype: false, value, timestamp };
    });
  }

  #topic(type: 'NBIRTH' | 'NDEATH' | 'NDATA' | 'NCMD'): string {
    return formatSparkplugTopic({ type, groupId: this.groupId, edgeNodeId: this.edgeNodeId });
  }

  #message(
    type: 'NBIRTH' | 'NDATA' | 'DBIRTH' | 'DDATA' | 'DDEATH',
    deviceId: string | undefined,
    metrics: SparkplugMetricInput[],
  ): SparkplugMessage {
    this.#seq = (this.#seq + 1) % 256;
    const topic =
      type === 'NBIRTH' || type === 'NDATA'
        ? this.#topic(type)
        : formatSparkplugTopic({ type, groupId: this.groupId, edgeNodeId: this.edgeNodeId, deviceId: deviceId ?? '' });
    return {
      topic,
      payload: encodeSparkplugPayload({ timestamp: this.#now(), seq: this.#seq, metrics }),
      qos: 0,
      retain: false,
    };
  }
}
