/**
 * Worker thread of bench:edge: subscribes to the replayed topics and checks, per machine, that
 * sequences arrive complete and in order (a repeat of an earlier sequence is a duplicate the server
 * would drop; a jump is a loss). Runs off the main thread so checking does not slow the replay.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeShopfloorMessage } from '@kerf/connectors';
import mqtt from 'mqtt';

export interface SubscriberInput {
  url: string;
  department: string;
  expected: number;
}

export interface SubscriberReport {
  received: number;
  distinct: number;
  duplicates: number;
  gaps: number;
  decodeErrors: number;
  machines: number;
  firstAt: number;
  lastAt: number;
}

const input = workerData as SubscriberInput;
const last = new Map<string, number>();
const report: SubscriberReport = {
  received: 0,
  distinct: 0,
  duplicates: 0,
  gaps: 0,
  decodeErrors: 0,
  machines: 0,
  firstAt: 0,
  lastAt: 0,
};

const client = await mqtt.connectAsync(input.url, { clientId: `kerf-bench-edge-sub-${process.pid}`, clean: true });
client.on('message', (topic, payload) => {
  const now = Date.now();
  if (report.received === 0) report.firstAt = now;
  report.received++;
  let seq: number;
  let machine: string;
  try {
    const event = decodeShopfloorMessage(topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength));
    seq = event.sequence;
    machine = event.machineId;
  } catch {
    report.decodeErrors++;
    return;
  }
  const prev = last.get(machine) ?? 0;
  if (seq <= prev) report.duplicates++;
  else {
    if (seq !== prev + 1) report.gaps++;
    last.set(machine, seq);
    report.distinct++;
  }
  if (report.distinct === input.expected) {
    report.lastAt = now;
    report.machines = last.size;
    parentPort!.postMessage({ done: true, report });
  }
});
await client.subscribeAsync(`shopfloor/${input.department}/#`, { qos: 1 });
parentPort!.postMessage({ ready: true });
parentPort!.on('message', (msg: { progress?: boolean; stop?: boolean }) => {
  if (msg.progress) parentPort!.postMessage({ progress: true, report: { ...report, machines: last.size } });
  if (msg.stop) void client.endAsync(true).then(() => process.exit(0));
});
