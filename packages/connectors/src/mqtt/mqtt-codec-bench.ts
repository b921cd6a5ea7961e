/**
 * Throughput of the MQTT codecs on one core, printed as a table:
 *   npx tsc -b packages/connectors && node packages/connectors/dist/mqtt/mqtt-codec-bench.js
 * Not run by tests; numbers belong in the report, not in assertions.
 */
import type { MachineEvent } from '../machine-event.js';
import { decodeShopfloorMessage, encodeShopfloorMessage } from './shopfloor-topic.js';
import { SparkplugHost } from './sparkplug-host.js';
import { SparkplugNode } from './sparkplug-node.js';

const N = Number(process.env.KERF_BENCH_N ?? 200_000);

function measure(name: string, run: (i: number) => void): { name: string; perSecond: number; usPerOp: number } {
  for (let i = 0; i < Math.min(N, 10_000); i += 1) run(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) run(i);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { name, perSecond: Math.round(N / seconds), usPerOp: (seconds / N) * 1e6 };
}

const event: MachineEvent = {
  machineId: 'WELD-01',
  timestamp: '2026-03-02T07:00:00.000Z',
  source: 'edge-1',
  sequence: 1,
  kind: 'count',
  metric: 'part_count',
  value: 12,
};
const encoded = encodeShopfloorMessage(event, 'weld');
const bytes = Buffer.from(encoded.payload);

let clock = Date.parse('2026-03-02T07:00:00.000Z');
const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'bench', now: () => clock });
const host = new SparkplugHost();
const metrics = [
  { name: 'State', type: 'String' as const, value: 'running' },
  { name: 'PartCount', type: 'UInt64' as const, value: 0 },
  { name: 'CycleTime', type: 'Double' as const, value: 40 },
  { name: 'Program', type: 'String' as const, value: 'P1' },
];
for (const m of [node.nbirth(), node.dbirth('WELD-01', metrics)]) host.handle(m.topic, m.payload);
let events = 0;

const rows = [
  measure('shopfloor encode', (i) => encodeShopfloorMessage({ ...event, sequence: i + 1, value: i }, 'weld')),
  measure('shopfloor decode (bytes)', () => decodeShopfloorMessage(encoded.topic, bytes)),
  measure('sparkplug DDATA encode (3 metrics)', (i) =>
    node.ddata('WELD-01', { PartCount: i, CycleTime: 40 + (i % 7), State: 'running' }),
  ),
];
// The host must see an unbroken seq chain: encode the whole stream first, then time only handle().
clock += 1;
const hostNode = new SparkplugHost();
for (const m of [node.nbirth(), node.dbirth('WELD-01', metrics)]) hostNode.handle(m.topic, m.payload);
const stream = Array.from({ length: N + Math.min(N, 10_000) }, (_, i) =>
  node.ddata('WELD-01', { PartCount: i, CycleTime: 40 + (i % 7), State: 'running' }),
);
let next = 0;
rows.push(
  measure('sparkplug host handle DDATA (3 metrics)', () => {
    const m = stream[next++]!;
    events += hostNode.handle(m.topic, m.payload).events.length;
  }),
);

console.log(`N = ${N} per row, node ${process.version}`);
console.log('| operation | ops/s | µs/op |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.perSecond.toLocaleString('en-US')} | ${r.usPerOp.toFixed(2)} |`);
console.log(`(host produced ${events} events from ${next} messages)`);
