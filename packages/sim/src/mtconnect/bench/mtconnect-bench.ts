/**
 * MTConnect throughput and latency, printed as a table:
 *   npx tsc -b packages/sim && node packages/sim/dist/mtconnect/bench/mtconnect-bench.js
 * Fixtures come from packages/connectors/test-data/mtconnect (KERF_MTCONNECT_FIXTURES overrides the folder).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MTConnectClient, MTConnectMapper, parseStreamsDocument, type MachineEvent } from '@kerf/connectors';
import { MTConnectAgent } from '../agent.js';
import { devicesFromProbe } from '../device-model.js';
import { replayShdr } from '../shdr-replayer.js';

const FIXTURES =
  process.env.KERF_MTCONNECT_FIXTURES ??
  fileURLToPath(new URL('../../../../connectors/test-data/mtconnect', import.meta.url));
const rows: [string, string, string][] = [];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function parseBench(): void {
  const xml = readFileSync(`${FIXTURES}/streams_2.0_okuma_intelagent_current.xml`, 'utf8');
  const bytes = Buffer.byteLength(xml);
  for (let i = 0; i < 20; i++) parseStreamsDocument(xml);
  const runs = 300;
  let start = process.hrtime.bigint();
  let observations = 0;
  for (let i = 0; i < runs; i++) observations += parseStreamsDocument(xml).observations.length;
  let seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rows.push([
    'parse /current 2.0 (260 obs, ' + (bytes / 1024).toFixed(0) + ' KiB)',
    `${(runs / seconds).toFixed(0)} docs/s`,
    `${(observations / seconds / 1000).toFixed(0)}k obs/s, ${((bytes * runs) / seconds / 1e6).toFixed(1)} MB/s`,
  ]);
  const doc = parseStreamsDocument(xml);
  start = process.hrtime.bigint();
  let events = 0;
  for (let i = 0; i < runs; i++) events += new MTConnectMapper().current(doc).length;
  seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rows.push([
    'map /current 2.0 to MachineEvents',
    `${(runs / seconds).toFixed(0)} docs/s`,
    `${events / runs} events/doc`,
  ]);
}

async function replayBench(): Promise<void> {
  const devices = devicesFromProbe(readFileSync(`${FIXTURES}/devices_2.7ns_demo_okuma_mazak.xml`, 'utf8'));
  const agent = new MTConnectAgent({ devices, bufferSize: 65_536 });
  await agent.start();
  let events = 0;
  let streaming = false;
  const client = new MTConnectClient({
    url: agent.url,
    device: 'OKUMA',
    interval: 10,
    count: 1000,
    onEvents: (e) => {
      events += e.length;
    },
    onStatus: (s) => {
      if (s.kind === 'streaming') streaming = true;
    },
  });
  client.start();
  while (!streaming) await new Promise((r) => setTimeout(r, 5));
  const shdr = readFileSync(`${FIXTURES}/shdr/okuma_imts2022_adapter.shdr.txt`, 'utf8');
  const start = process.hrtime.bigint();
  const replay = await replayShdr(agent, shdr, { device: 'OKUMA', yieldEvery: 50 });
  while (client.nextSequence < agent.nextSequence) await new Promise((r) => setTimeout(r, 1));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rows.push([
    `SHDR log -> agent -> stream -> client (${replay.observations.length} obs)`,
    `${(replay.observations.length / seconds).toFixed(0)} obs/s`,
    `${seconds.toFixed(2)} s, ${events} events`,
  ]);
  await client.stop();
  await agent.stop();
}

async function latencyBench(): Promise<void> {
  const agent = new MTConnectAgent({ devices: [{ name: 'LAS-01', uuid: 'kerf-las-01' }] });
  await agent.start();
  const sentAt = new Map<number, bigint>();
  const latencies: number[] = [];
  let streaming = false;
  const client = new MTConnectClient({
    url: agent.url,
    interval: 0,
    onEvents: (events: MachineEvent[]) => {
      const now = process.hrtime.bigint();
      for (const e of events) {
        const at = sentAt.get(Math.floor(e.sequence / 64));
        if (at !== undefined && e.kind === 'count') latencies.push(Number(now - at) / 1e6);
      }
    },
    onStatus: (s) => {
      if (s.kind === 'streaming') streaming = true;
    },
  });
  client.start();
  while (!streaming) await new Promise((r) => setTimeout(r, 5));
  for (let i = 1; i <= 500; i++) {
    const seq = agent.observe('LAS-01', 'part_count', i)!;
    sentAt.set(seq, process.hrtime.bigint());
    await new Promise((r) => setTimeout(r, 4));
  }
  await new Promise((r) => setTimeout(r, 200));
  latencies.sort((a, b) => a - b);
  rows.push([
    'observe -> onEvents latency (interval=0, 250/s)',
    `p50 ${percentile(latencies, 50).toFixed(2)} ms`,
    `p99 ${percentile(latencies, 99).toFixed(2)} ms, n=${latencies.length}`,
  ]);
  await client.stop();
  await agent.stop();
}

parseBench();
await replayBench();
await latencyBench();
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 8));
const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
console.log(line(['measure', 'rate', 'detail']));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
