import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './testing/peers.js';
import { EventBuffer, type BufferedMessage, type BufferOptions } from './buffer.js';

afterAll(removeTempDirs);
const open: EventBuffer[] = [];
afterEach(() => {
  for (const b of open.splice(0)) b.close();
});

function tempPath(): string {
  return join(tempDir('kerf-edge-buf-'), 'buffer.db');
}

function buffer(options: Partial<BufferOptions> & { path?: string } = {}): EventBuffer {
  const b = EventBuffer.open({ path: tempPath(), fullPolicy: 'drop-oldest', ...options });
  open.push(b);
  return b;
}

function messages(from: number, to: number, padding = 0): BufferedMessage[] {
  const out: BufferedMessage[] = [];
  for (let i = from; i <= to; i++) {
    out.push({
      topic: `shopfloor/D/M/part_count`,
      payload: `{"seq":${i}}${' '.repeat(padding)}`,
      receivedAt: 1000 + i,
    });
  }
  return out;
}

const seqOf = (payload: string): number => (JSON.parse(payload) as { seq: number }).seq;

describe('EventBuffer', () => {
  it('keeps events in edge-sequence order across reopen and forgets only acknowledged ones', () => {
    const path = tempPath();
    const b = buffer({ path });
    b.append(messages(1, 10));
    const rows = b.readAfter(0, 4);
    expect(rows.map((r) => seqOf(r.payload))).toEqual([1, 2, 3, 4]);
    expect(b.ackUpTo(rows[3]!.id)).toBe(4);
    b.close();

    const again = buffer({ path });
    expect(again.depth()).toBe(6);
    expect(again.oldestReceivedAt()).toBe(1005);
    expect(again.readAfter(0, 100).map((r) => seqOf(r.payload))).toEqual([5, 6, 7, 8, 9, 10]);
    again.append(messages(11, 11));
    // AUTOINCREMENT: an id is never reused, even after the rows before it are deleted.
    expect(again.lastId()).toBe(11);
  });

  it('drop-oldest by event count keeps the newest events and counts what it dropped', () => {
    const b = buffer({ maxEvents: 5 });
    expect(b.append(messages(1, 3))).toEqual({ accepted: 3, droppedOldest: 0, rejected: 0 });
    expect(b.append(messages(4, 8))).toEqual({ accepted: 5, droppedOldest: 3, rejected: 0 });
    expect(b.append(messages(9, 20))).toEqual({ accepted: 5, droppedOldest: 12, rejected: 0 });
    expect(b.readAfter(0, 100).map((r) => seqOf(r.payload))).toEqual([16, 17, 18, 19, 20]);
    expect(b.depth()).toBe(5);
  });

  it('stop-intake by event count keeps the oldest events and refuses the rest', () => {
    const b = buffer({ maxEvents: 5, fullPolicy: 'stop-intake' });
    expect(b.append(messages(1, 3))).toEqual({ accepted: 3, droppedOldest: 0, rejected: 0 });
    expect(b.append(messages(4, 8))).toEqual({ accepted: 2, droppedOldest: 0, rejected: 3 });
    expect(b.readAfter(0, 100).map((r) => seqOf(r.payload))).toEqual([1, 2, 3, 4, 5]);
    b.ackUpTo(b.readAfter(0, 2)[1]!.id);
    expect(b.append(messages(9, 9))).toEqual({ accepted: 1, droppedOldest: 0, rejected: 0 });
  });

  it('drop-oldest by bytes keeps the file near the limit while far more than the limit flows through', () => {
    const maxBytes = 2 << 20;
    const b = buffer({ maxBytes });
    let dropped = 0;
    // ~30 MB of 300-byte events through a 2 MB buffer
    for (let i = 0; i < 100; i++) dropped += b.append(messages(i * 1000 + 1, i * 1000 + 1000, 250)).droppedOldest;
    expect(dropped).toBeGreaterThan(80_000);
    expect(b.depth()).toBe(100_000 - dropped);
    expect(b.usedBytes()).toBeLessThanOrEqual(maxBytes);
    const fileBytes = b.diskBytes();
    expect(fileBytes).toBeLessThan(maxBytes + (64 << 20)); // database near maxBytes plus a bounded WAL
    const rows = b.readAfter(0, 1_000_000).map((r) => seqOf(r.payload));
    expect(rows[rows.length - 1]).toBe(100_000);
    expect(rows[0]).toBe(100_000 - rows.length + 1);
  });

  it('stop-intake by bytes refuses events once the limit is reached', () => {
    const b = buffer({ maxBytes: 1 << 20, fullPolicy: 'stop-intake' });
    let rejected = 0;
    for (let i = 0; i < 20; i++) rejected += b.append(messages(i * 1000 + 1, i * 1000 + 1000, 250)).rejected;
    expect(rejected).toBeGreaterThan(10_000);
    expect(b.depth()).toBe(20_000 - rejected);
    expect(b.readAfter(0, 1)[0]!.payload).toContain('"seq":1}');
  });

  it('compact gives the pages of acknowledged rows back to the file system', () => {
    const b = buffer();
    for (let i = 0; i < 20; i++) b.append(messages(i * 1000 + 1, i * 1000 + 1000, 250));
    b.compact(1_000_000);
    const full = b.diskBytes();
    b.ackUpTo(b.lastId());
    while (b.compact(1024) > 0);
    expect(b.depth()).toBe(0);
    expect(b.diskBytes()).toBeLessThan(full / 10);
  });
});
