import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OpcUaMappingError } from '@kerf/connectors';
import { OpcUaMachineServer, SIM_SHOP_NAMESPACE_URI } from './opcua-machine-server.js';
import { RecordingClient } from './opcua-test-harness.js';

describe('OpcUaMachineClient against OpcUaMachineServer', () => {
  const server = new OpcUaMachineServer({
    machines: [
      { machineId: 'PUN-01', name: 'Turret punch 1' },
      { machineId: 'LAS-01', name: 'Fiber laser 1' },
    ],
    users: [{ userName: 'kerf', password: 'secret-1' }],
  });
  let endpointUrl = '';
  const clients: RecordingClient[] = [];
  const client = (...args: ConstructorParameters<typeof RecordingClient>): RecordingClient => {
    const c = new RecordingClient(...args);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    ({ endpointUrl } = await server.start());
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await server.dispose();
  });

  test('receives the current values, then every state, count, program, cycle time and alarm change', async () => {
    server.setState('PUN-01', 'running');
    server.setProgram('PUN-01', 'P1000');
    const c = client(endpointUrl, ['PUN-01', 'LAS-01']);
    await c.client.start();
    await c.until('initial state', () => c.of('PUN-01', 'state').length === 1 && c.of('LAS-01', 'state').length === 1);
    expect(c.values('PUN-01', 'state')).toEqual(['running']);
    expect(c.values('LAS-01', 'state')).toEqual(['idle']);
    await c.until('initial program', () => c.of('PUN-01', 'program').length === 1);
    expect(c.values('PUN-01', 'program')).toEqual(['P1000']);

    for (let n = 1; n <= 20; n += 1) server.setPartCount('PUN-01', n);
    server.setState('PUN-01', 'setup');
    server.setProgram('PUN-01', 'P2000');
    server.setCycleTime('PUN-01', 42.5);
    server.setState('LAS-01', 'alarm');
    server.raiseAlarm('LAS-01', 'E17', 'Assist gas pressure low');
    await c.until(
      'all changes',
      () => c.of('LAS-01', 'alarm').length === 1 && c.of('PUN-01', 'part_count').length === 21,
    );
    server.clearAlarm('LAS-01', 'E17');
    server.setState('LAS-01', 'stopped');
    server.setState('PUN-01', 'offline');
    await c.until('clear', () => c.of('LAS-01', 'alarm').length === 2 && c.of('PUN-01', 'state').length === 3);

    expect(c.values('PUN-01', 'part_count')).toEqual([0, ...Array.from({ length: 20 }, (_, i) => i + 1)]);
    expect(c.of('PUN-01', 'part_count').every((e) => e.kind === 'count')).toBe(true);
    expect(c.values('PUN-01', 'state')).toEqual(['running', 'setup', 'offline']);
    expect(c.values('PUN-01', 'program')).toEqual(['P1000', 'P2000']);
    expect(c.values('PUN-01', 'cycle_time')).toEqual([0, 42.5]);
    await c.until('stopped', () => c.of('LAS-01', 'state').length === 3);
    expect(c.values('LAS-01', 'state')).toEqual(['idle', 'alarm', 'stopped']);
    expect(c.values('LAS-01', 'alarm')).toEqual([
      { code: 'E17', active: true, severity: 'fault', message: 'Assist gas pressure low' },
      { code: 'E17', active: false, severity: 'fault', message: 'Assist gas pressure low' },
    ]);
    for (const machineId of ['PUN-01', 'LAS-01']) {
      const seqs = c.events.filter((e) => e.machineId === machineId).map((e) => e.sequence);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    expect(c.events.every((e) => e.source === c.client.source && e.source.startsWith(`opcua:${endpointUrl}:`))).toBe(
      true,
    );
    await c.stop();
  });

  test('a browse path that does not exist fails start() with an error naming the field and the path', async () => {
    const bad = new RecordingClient(endpointUrl, ['PUN-01'], {
      machines: [
        {
          machineId: 'PUN-01',
          namespaceUri: 'http://kerf.dev/UA/SimShop/',
          metrics: { part_count: '/Objects/Machines/PUN-01/Production/Statistics/PartsMadeYesterday' },
        },
      ],
    });
    clients.push(bad);
    const error = await bad.client.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpcUaMappingError);
    expect(String(error)).toContain('machines[0].metrics.part_count');
    expect(String(error)).toContain('/Objects/Machines/PUN-01/Production/Statistics/PartsMadeYesterday');
    expect(String(error)).toContain(
      'no child "PartsMadeYesterday" under "/Objects/Machines/PUN-01/Production/Statistics"',
    );
    expect(bad.events).toEqual([]);
  });

  test('plain browse paths (no namespace prefixes) and nsu= NodeIds resolve too', async () => {
    server.setPartCount('LAS-01', 77);
    const c = client(endpointUrl, ['LAS-01'], {
      machines: [
        {
          machineId: 'LAS-01',
          namespaceUri: SIM_SHOP_NAMESPACE_URI,
          itemState: '/Objects/Machines/LAS-01/Monitoring/MachineryItemState/CurrentState',
          operationMode: '/Objects/Machines/LAS-01/Monitoring/MachineryOperationMode/CurrentState',
          metrics: {
            part_count: `nsu=${SIM_SHOP_NAMESPACE_URI};s=LAS-01.Production.Statistics.PartsProducedInLifetime`,
            serial_number: { browsePath: '/Objects/Machines/LAS-01/Identification/SerialNumber' },
          },
        },
      ],
    });
    server.setState('LAS-01', 'running');
    await c.client.start();
    await c.until('values', () => c.of('LAS-01', 'state').length === 1 && c.of('LAS-01', 'part_count').length === 1);
    expect(c.values('LAS-01', 'state')).toEqual(['running']);
    expect(c.values('LAS-01', 'part_count')).toEqual([77]);
    await c.until('serial', () => c.of('LAS-01', 'serial_number').length === 1);
    expect(c.of('LAS-01', 'serial_number')[0]).toMatchObject({ kind: 'metric', value: 'LAS-01' });
  });

  test('user name and password: the right ones are accepted, wrong ones refused', async () => {
    const good = client(endpointUrl, ['PUN-01'], {
      identity: { type: 'username', userName: 'kerf', password: 'secret-1' },
    });
    await good.client.start();
    await good.until('state', () => good.of('PUN-01', 'state').length === 1);
    const wrong = client(endpointUrl, ['PUN-01'], {
      identity: { type: 'username', userName: 'kerf', password: 'nope' },
    });
    await expect(wrong.client.start()).rejects.toThrow(
      /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/,
    );
    expect(wrong.events).toEqual([]);
  });

  test('a signed and encrypted channel (Basic256Sha256) with a user login delivers the same data', async () => {
    const c = client(endpointUrl, ['PUN-01'], {
      securityMode: 'SignAndEncrypt',
      securityPolicy: 'Basic256Sha256',
      identity: { type: 'username', userName: 'kerf', password: 'secret-1' },
    });
    await c.client.start();
    await c.until('state', () => c.of('PUN-01', 'state').length === 1);
    server.setProgram('PUN-01', 'ENCRYPTED-1');
    await c.until('program', () => c.values('PUN-01', 'program').includes('ENCRYPTED-1'));
  });
});
