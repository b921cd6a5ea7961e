import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CodecError } from '../codec-error.js';
import type { MachineEvent } from '../machine-event.js';
import { MTConnectClient, type MTConnectClientStatus } from './client.js';
import { MultipartReader, multipartBoundary } from './multipart.js';

const FIXTURES = fileURLToPath(new URL('../../test-data/mtconnect', import.meta.url));

function part(boundary: string, body: string, headers = 'Content-type: text/xml'): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.from(`--${boundary}\r\n${headers}\r\nContent-length: ${bytes.length}\r\n\r\n${body}\r\n`, 'utf8');
}

describe('multipartBoundary', () => {
  it.each([
    ['multipart/mixed;boundary=abc123', 'abc123'],
    ['multipart/x-mixed-replace;boundary=c0ffee', 'c0ffee'],
    ['Multipart/Mixed; boundary="quoted value"', 'quoted value'],
    ['text/xml', null],
    [undefined, null],
  ])('%s -> %s', (contentType, boundary) => {
    expect(multipartBoundary(contentType)).toBe(boundary);
  });

  it('a multipart type without boundary is a CodecError', () => {
    expect(() => multipartBoundary('multipart/mixed')).toThrow(CodecError);
  });
});

describe('MultipartReader', () => {
  const docs = ['<a>1</a>', '<b>\r\n--B\r\n looks like a boundary</b>', 'ünïcödé ✓'];

  it('cuts parts by Content-Length, even when the body contains the boundary', () => {
    const reader = new MultipartReader('B');
    const bytes = Buffer.concat([Buffer.from('preamble\r\n'), ...docs.map((d) => part('B', d))]);
    expect(reader.push(bytes).map((b) => b.toString('utf8'))).toEqual(docs);
  });

  it('gives the same parts however the stream is chunked (property)', () => {
    const bytes = Buffer.concat([...docs.map((d) => part('B', d)), Buffer.from('--B--\r\n')]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const reader = new MultipartReader('B');
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const out: string[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          out.push(...reader.push(bytes.subarray(at, p)).map((b) => b.toString('utf8')));
          at = p;
        }
        expect(out).toEqual(docs);
        expect(reader.done).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw anything but CodecError (property)', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      fc
        .constantFrom('--B', '\r\n', '\r\n\r\n', 'Content-Length: ', '99999999999', '7', '--B--')
        .map((t) => Buffer.from(t)),
    );
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 6 }), { maxLength: 8 }), (chunks) => {
        const reader = new MultipartReader('B', 4096);
        try {
          for (const chunk of chunks) reader.push(Buffer.concat(chunk));
        } catch (error) {
          expect(error).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('falls back to the next boundary when a part has no Content-Length; accepts LF-only headers', () => {
    const reader = new MultipartReader('--X');
    const raw = '--X\nContent-Type: text/xml\n\n<one/>\r\n--X\r\nContent-Type: text/xml\r\n\r\n<two/>\r\n--X--';
    expect(reader.push(Buffer.from(raw)).map((b) => b.toString())).toEqual(['<one/>', '<two/>']);
  });

  it('rejects a bad or oversized Content-Length with a CodecError', () => {
    expect(() => new MultipartReader('B').push(Buffer.from('--B\r\nContent-Length: 12x\r\n\r\n'))).toThrow(
      /Content-Length: not a byte count/,
    );
    expect(() => new MultipartReader('B', 100).push(Buffer.from('--B\r\nContent-Length: 101\r\n\r\n'))).toThrow(
      CodecError,
    );
  });
});

/** A hand-written agent that streams the fixture documents the way cppagent 1.x/2.x do, byte-dribbled. */
describe('MTConnectClient against a raw HTTP server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server?.closeAllConnections();
    server = undefined;
  });

  it.each(['multipart/mixed', 'multipart/x-mixed-replace'])(
    '%s stream split into 7-byte chunks; heartbeat documents; instanceId change -> re-probe',
    async (flavour) => {
      const probe = readFileSync(`${FIXTURES}/devices_2.0_okuma_intelagent_probe.xml`, 'utf8');
      const current = readFileSync(`${FIXTURES}/streams_2.0_okuma_intelagent_current.xml`, 'utf8');
      const requests: string[] = [];
      const execution = (seq: number, value: string, instance = '1743558962') =>
        `<MTConnectStreams xmlns="urn:mtconnect.org:MTConnectStreams:2.0"><Header instanceId="${instance}" nextSequence="${seq + 1}" firstSequence="42739321" lastSequence="${seq}"/><Streams><DeviceStream name="OKUMA" uuid="OKUMA.123456"><ComponentStream component="Controller" componentId="Lct1"><Events><Execution dataItemId="Lpexecution" sequence="${seq}" timestamp="2025-04-13T00:05:00Z">${value}</Execution></Events></ComponentStream></DeviceStream></Streams></MTConnectStreams>`;
      let samples = 0;
      server = createServer((req, res) => {
        requests.push(req.url ?? '');
        if (req.url?.startsWith('/probe')) return res.end(probe);
        if (req.url?.startsWith('/current')) return res.end(current);
        samples += 1;
        res.writeHead(200, { 'Content-Type': `${flavour};boundary=KERFBOUNDARY` });
        const parts =
          samples === 1
            ? [
                execution(42870393, 'READY'),
                readFileSync(`${FIXTURES}/streams_1.7_heartbeat_empty_instance1649989201.xml`, 'utf8').replace(
                  /instanceId="\d+"/,
                  'instanceId="1743558962"',
                ),
                execution(42870394, 'ACTIVE'),
                execution(5, 'READY', '1743999999'),
              ]
            : [];
        const bytes = Buffer.concat(parts.map((p) => part('KERFBOUNDARY', p, 'Content-Type: text/xml')));
        let at = 0;
        const dribble = setInterval(() => {
          if (at >= bytes.length) return clearInterval(dribble);
          res.write(bytes.subarray(at, at + 7));
          at += 7;
        }, 0);
        res.on('close', () => clearInterval(dribble));
      });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
      const { port } = server.address() as AddressInfo;
      const events: MachineEvent[] = [];
      const statuses: MTConnectClientStatus[] = [];
      const client = new MTConnectClient({
        url: `http://127.0.0.1:${port}/`,
        interval: 100,
        heartbeat: 5000,
        reconnectDelay: 20,
        onEvents: (e) => {
          events.push(...e);
        },
        onStatus: (s) => statuses.push(s),
      });
      client.start();
      const t0 = Date.now();
      while (requests.length < 5 && Date.now() - t0 < 10_000) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await client.stop();
      const okumaStates = events.filter((e) => e.machineId === 'OKUMA' && e.kind === 'state');
      expect(okumaStates.slice(0, 3).map((e) => e.value)).toEqual(['running', 'idle', 'running']);
      expect(statuses.find((s) => s.kind === 'instance-changed')).toEqual({
        kind: 'instance-changed',
        previous: '1743558962',
        current: '1743999999',
      });
      // the document from the new instance is not applied: the client goes back to probe/current
      expect(events.some((e) => e.source === 'mtconnect:1743999999')).toBe(false);
      expect(requests.slice(0, 3)).toEqual([
        '/probe',
        '/current',
        '/sample?from=42870393&count=1000&interval=100&heartbeat=5000',
      ]);
      expect(requests.slice(3, 5)).toEqual(['/probe', '/current']);
      expect(statuses.at(-1)).toEqual({ kind: 'stopped' });
    },
  );
});

describe('MTConnectClient fallback', () => {
  it('switches to polling for good when the agent answers a streaming request with a plain document', async () => {
    const probe = readFileSync(`${FIXTURES}/devices_1.4_simple_cnc.xml`, 'utf8');
    const requests: string[] = [];
    let next = 10;
    const doc = (from: number, to: number) =>
      `<MTConnectStreams><Header instanceId="77" nextSequence="${to}" firstSequence="1" lastSequence="${Math.max(to - 1, 9)}"/><Streams>` +
      `<DeviceStream name="VMC-3Axis" uuid="000"><ComponentStream component="Path" componentId="p">` +
      `<Events>${Array.from({ length: to - from }, (_, i) => `<PartCount dataItemId="pc" sequence="${from + i}" timestamp="2024-01-01T00:00:0${i}Z">${from + i}</PartCount>`).join('')}</Events>` +
      `</ComponentStream></DeviceStream></Streams></MTConnectStreams>`;
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url?.startsWith('/probe')) return res.end(probe.replace(/instanceId="\d*"/, 'instanceId="77"'));
      if (req.url?.startsWith('/current')) return res.end(doc(10, 10));
      const from = Number(new URL(req.url ?? '', 'http://x').searchParams.get('from'));
      const to = Math.min(next, from + 2);
      if (next < 14) next += 1;
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(doc(from, to));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    const counts: unknown[] = [];
    const client = new MTConnectClient({
      url: `http://127.0.0.1:${port}`,
      pollInterval: 5,
      onEvents: (events) => {
        counts.push(...events.filter((e) => e.kind === 'count').map((e) => e.value));
      },
    });
    client.start();
    const t0 = Date.now();
    while (counts.length < 4 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 5));
    await client.stop();
    await new Promise<void>((r) => server.close(() => r()));
    expect(client.transport).toBe('poll');
    expect(requests[2]).toMatch(/^\/sample\?from=10&count=1000&interval=500&heartbeat=10000$/);
    expect(requests.slice(3).every((u) => /^\/sample\?from=\d+&count=1000$/.test(u))).toBe(true);
    expect(counts).toEqual([10, 11, 12, 13]);
  });
});
