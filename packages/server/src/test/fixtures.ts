import type { FastifyInstance } from 'fastify';
import { bearer } from './harness.js';

/** A tiny shop through the API: 2 departments, a laser, a brake, two welders. */
export async function seedMiniShop(app: FastifyInstance, adminToken: string): Promise<void> {
  const h = bearer(adminToken);
  const post = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, headers: h, payload });
    if (res.statusCode !== 201) throw new Error(`${url} -> ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  await post('/api/v1/departments', { id: 'laser', name: 'Laser' });
  await post('/api/v1/departments', { id: 'weld', name: 'Weld' });
  await post('/api/v1/work-centers', {
    id: 'LASER-01',
    name: 'Fiber laser 1',
    departmentId: 'laser',
    machineType: 'laser',
    setupCategory: 'SS304-16GA',
  });
  await post('/api/v1/work-centers', {
    id: 'BRAKE-01',
    name: 'Press brake 1',
    departmentId: 'laser',
    machineType: 'brake',
  });
  await post('/api/v1/work-centers', { id: 'WELD-01', name: 'TIG 1', departmentId: 'weld', machineType: 'weld' });
  await post('/api/v1/work-centers', { id: 'WELD-02', name: 'TIG 2', departmentId: 'weld', machineType: 'weld' });
}

import type { JobInputT, RoutingInputT } from '../jobs/schemas.js';

export const sampleJob = (jobNumber: string): JobInputT & { routings: RoutingInputT[] } => ({
  jobNumber,
  product: 'Work table 30x72 SS304 16ga',
  quantity: 4,
  dueDate: '2026-12-10T22:00:00.000Z',
  priority: 2,
  parts: [{ partNumber: 'WT-3072-TOP', quantity: 4, materialCode: 'SS304', thickness: 0.0598, grainDirection: 'X' }],
  routings: [
    {
      sequence: 10,
      operationCode: 'CUT',
      workCenterType: 'laser',
      setupMinutes: 20,
      runMinutesPerUnit: 6,
      setupCategory: 'SS304-16GA',
    },
    {
      sequence: 20,
      operationCode: 'CUT-LEGS',
      workCenterType: 'laser',
      setupMinutes: 0,
      runMinutesPerUnit: 3,
      dependsOn: [],
    },
    {
      sequence: 30,
      operationCode: 'FORM',
      workCenterType: 'brake',
      setupMinutes: 15,
      runMinutesPerUnit: 4,
      dependsOn: [10],
    },
    {
      sequence: 40,
      operationCode: 'WELD',
      workCenterType: 'weld',
      preferredWorkCenterId: 'WELD-02',
      setupMinutes: 10,
      runMinutesPerUnit: 25,
      dependsOn: [20, 30],
    },
  ],
});
