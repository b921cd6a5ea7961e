import type { FastifyInstance } from 'fastify';
import type { MachineEvent, MachineState } from '@kerf/connectors';
import { bearer } from '../test/harness.js';
import { seedMiniShop } from '../test/fixtures.js';
import type { MachineRow } from './machine-service.js';

/** The mini shop plus machines LASER-01 (mtconnect), WELD-01 and WELD-02 (mqtt), through the API. */
export async function seedMachines(app: FastifyInstance, adminToken: string): Promise<Record<string, MachineRow>> {
  await seedMiniShop(app, adminToken);
  const out: Record<string, MachineRow> = {};
  for (const [code, departmentId, protocol] of [
    ['LASER-01', 'laser', 'mtconnect'],
    ['WELD-01', 'weld', 'mqtt'],
    ['WELD-02', 'weld', 'mqtt'],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/machines',
      headers: bearer(adminToken),
      payload: { code, name: `${code} machine`, departmentId, workCenterId: code, protocol },
    });
    if (res.statusCode !== 201) throw new Error(`create machine ${code}: ${res.statusCode} ${res.body}`);
    out[code] = res.json();
  }
  return out;
}

const T0 = Date.parse('2026-11-20T08:00:00.000Z');

/** A metric sample at T0 + i seconds. */
export function sample(
  machineId: string,
  i: number,
  value: number,
  metric = 'spindle_speed',
  source = 'test',
): MachineEvent {
  return {
    machineId,
    timestamp: new Date(T0 + i * 1000).toISOString(),
    source,
    sequence: i,
    kind: metric.endsWith('_count') ? 'count' : 'metric',
    metric,
    value,
  };
}

export function stateEvent(machineId: string, i: number, state: MachineState, source = 'test'): MachineEvent {
  return {
    machineId,
    timestamp: new Date(T0 + i * 1000).toISOString(),
    source,
    sequence: i,
    kind: 'state',
    metric: 'state',
    value: state,
  };
}

export const TEST_T0 = T0;
