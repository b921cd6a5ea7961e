import { createServer } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { OpcUaMachineServer } from './opcua-machine-server.js';
import { CuttableProxy, RecordingClient } from './opcua-test-harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

test('server stopped and restarted on the same port with its namespace moved: the client re-resolves, resumes, and emits exactly what the server set', async () => {
  const server = new OpcUaMachineServer({ machines: [{ machineId: 'BRK-01', name: 'Press brake 1' }] });
  cleanup.push(() => server.dispose());
  const { endpointUrl } = await server.start();
  const indexBefore = server.namespaceIndex;
  const c = new RecordingClient(endpointUrl, ['BRK-01']);
  cleanup.push(() => c.stop());
  await c.client.start();
  const firstSource = c.client.source;
  // A change is only seen once the subscription delivered the current values.
  await c.until(
    'initial values',
    () => c.of('BRK-01', 'state').length === 1 && c.of('BRK-01', 'part_count').length === 1,
  );

  server.setState('BRK-01', 'running');
  for (let n = 1; n <= 5; n += 1) server.setPartCount('BRK-01', n);
  await c.until('counts 1..5', () => c.values('BRK-01', 'part_count').at(-1) === 5);

  await server.stop();
  await c.until('connection_lost', () => c.statuses.some((s) => s.status === 'connection_lost'));
  // While the server is down the machine goes on; only the last value of each variable can be seen afterwards.
  server.setPartCount('BRK-01', 6);
  server.raiseAlarm('BRK-01', 'E3', 'Back gauge not referenced', 'warning');
  await server.start({ extraNamespaceUris: ['urn:kerf:test:padding-a', 'urn:kerf:test:padding-b'] });
  expect(server.namespaceIndex).toBe((indexBefore ?? 0) + 2);

  await c.until('session_restored', () => c.statuses.some((s) => s.status === 'session_restored'), 20_000);
  await c.until('count 6 after restart', () => c.values('BRK-01', 'part_count').includes(6));
  for (let n = 7; n <= 10; n += 1) server.setPartCount('BRK-01', n);
  server.clearAlarm('BRK-01', 'E3');
  server.setState('BRK-01', 'idle');
  await c.until(
    'counts to 10',
    () => c.values('BRK-01', 'part_count').at(-1) === 10 && c.of('BRK-01', 'state').length === 3,
  );
  await c.until('alarm cleared', () => c.of('BRK-01', 'alarm').length === 2);

  // Exactly what the server reported: the initial 0, every count set while connected, the last one set while
  // it was down; nothing repeated although the new subscription delivered every current value again.
  expect(c.values('BRK-01', 'part_count')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(c.values('BRK-01', 'state')).toEqual(['idle', 'running', 'idle']);
  expect(c.values('BRK-01', 'program')).toEqual(['']);
  expect(c.values('BRK-01', 'cycle_time')).toEqual([0]);
  expect(c.values('BRK-01', 'alarm')).toEqual([
    { code: 'E3', active: true, severity: 'warning', message: 'Back gauge not referenced' },
    { code: 'E3', active: false, severity: 'warning', message: 'Back gauge not referenced' },
  ]);

  // A new session epoch after the restart, and sequences growing within each source.
  const secondSource = c.client.source;
  expect(secondSource).not.toBe(firstSource);
  expect(new Set(c.events.map((e) => e.source))).toEqual(new Set([firstSource, secondSource]));
  for (const source of [firstSource, secondSource]) {
    const seqs = c.events.filter((e) => e.source === source).map((e) => e.sequence);
    for (let i = 1; i < seqs.length; i += 1) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? 0);
  }
  const kinds = c.statuses.map((s) => s.status);
  expect(kinds[0]).toBe('connected');
  expect(kinds).toContain('reconnecting');
  expect(kinds.indexOf('connection_lost')).toBeLessThan(kinds.indexOf('session_restored'));
  expect(c.statuses.filter((s) => s.status === 'error')).toEqual([]);
});

test('a different server on the same port (fresh values, new timestamps): its values are reported, old ones not repeated', async () => {
  const first = new OpcUaMachineServer({ machines: [{ machineId: 'SHR-01', name: 'Shear 1' }] });
  cleanup.push(() => first.dispose());
  const { endpointUrl } = await first.start();
  const port = Number(new URL(endpointUrl.replace('opc.tcp:', 'http:')).port);
  const c = new RecordingClient(endpointUrl, ['SHR-01']);
  cleanup.push(() => c.stop());
  await c.client.start();
  await c.until(
    'initial values',
    () => c.of('SHR-01', 'part_count').length === 1 && c.of('SHR-01', 'program').length === 1,
  );
  first.setPartCount('SHR-01', 40);
  first.setProgram('SHR-01', 'CUT-7');
  await c.until(
    'count 40',
    () => c.values('SHR-01', 'part_count').includes(40) && c.values('SHR-01', 'program').includes('CUT-7'),
  );
  await first.dispose();

  const second = new OpcUaMachineServer({
    machines: [{ machineId: 'SHR-01', name: 'Shear 1' }],
    port,
    extraNamespaceUris: ['urn:kerf:test:other-vendor'],
  });
  cleanup.push(() => second.dispose());
  second.setPartCount('SHR-01', 3);
  second.setState('SHR-01', 'setup');
  await second.start();
  await c.until('values of the second server', () => c.values('SHR-01', 'part_count').includes(3), 20_000);
  await c.until('setup', () => c.values('SHR-01', 'state').includes('setup'));
  second.setPartCount('SHR-01', 4);
  await c.until('count 4', () => c.values('SHR-01', 'part_count').includes(4));

  expect(c.values('SHR-01', 'part_count')).toEqual([0, 40, 3, 4]);
  expect(c.values('SHR-01', 'program')).toEqual(['', 'CUT-7', '']);
  expect(c.values('SHR-01', 'state')).toEqual(['idle', 'setup']);
});

test('a network break without a server restart: the session survives, and every change made meanwhile arrives once, under the same source', async () => {
  const server = new OpcUaMachineServer({ machines: [{ machineId: 'PUN-02', name: 'Turret punch 2' }] });
  cleanup.push(() => server.dispose());
  const { endpointUrl: direct } = await server.start();
  const { proxy, endpointUrl } = await CuttableProxy.start(Number(direct.split(':').at(-1)));
  cleanup.push(() => proxy.close());
  const c = new RecordingClient(endpointUrl, ['PUN-02']);
  cleanup.push(() => c.stop());
  await c.client.start();
  await c.until(
    'initial values',
    () => c.of('PUN-02', 'part_count').length === 1 && c.of('PUN-02', 'state').length === 1,
  );
  const source = c.client.source;
  server.setPartCount('PUN-02', 1);
  await c.until('count 1', () => c.values('PUN-02', 'part_count').includes(1));

  proxy.cut();
  await c.until('connection_lost', () => c.statuses.some((s) => s.status === 'connection_lost'));
  for (let n = 2; n <= 8; n += 1) server.setPartCount('PUN-02', n);
  server.setState('PUN-02', 'running');
  server.setState('PUN-02', 'idle');
  proxy.resume();
  await c.until('session_restored', () => c.statuses.some((s) => s.status === 'session_restored'), 20_000);
  await c.until('count 8', () => c.values('PUN-02', 'part_count').includes(8));
  server.setPartCount('PUN-02', 9);
  await c.until('count 9', () => c.values('PUN-02', 'part_count').includes(9));

  // the server's queues kept every change made during the break: none lost, none repeated
  expect(c.values('PUN-02', 'part_count')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(c.values('PUN-02', 'state')).toEqual(['idle', 'running', 'idle']);
  expect(c.client.source).toBe(source);
  expect(new Set(c.events.map((e) => e.source))).toEqual(new Set([source]));
  const seqs = c.events.map((e) => e.sequence);
  for (let i = 1; i < seqs.length; i += 1) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? 0);
});

test('a client started before its server comes up keeps trying (backoff) and then delivers', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const c = new RecordingClient(`opc.tcp://127.0.0.1:${port}`, ['SAW-01']);
  cleanup.push(() => c.stop());
  const started = c.client.start();
  await c.until('a backoff', () => c.statuses.some((s) => s.status === 'reconnecting'));
  const server = new OpcUaMachineServer({ machines: [{ machineId: 'SAW-01', name: 'Saw 1' }], port });
  cleanup.push(() => server.dispose());
  server.setState('SAW-01', 'running');
  await server.start();
  await started;
  await c.until('state', () => c.of('SAW-01', 'state').length === 1);
  expect(c.values('SAW-01', 'state')).toEqual(['running']);
  expect(c.statuses.at(-1)?.status).toBe('connected');
});
