import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { actorOf } from '../../platform/http/route-access.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { MachinesRuntime } from '../runtime.js';
import * as s from './device-schemas.js';
import { createDevice, listDevices, revokeDevice, rotateDevice } from './device-service.js';

const tags = ['machines'];

/** `/api/v1/mqtt-devices`: MQTT logins of the embedded broker (docs/machines.md, "Devices"). */
export function registerDeviceRoutes(fastify: FastifyInstance, ctx: AppContext, runtime: MachinesRuntime): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  const id = (req: { params: { id: string } }) => req.params.id;
  const mqttUrl = () => (runtime.broker ? (runtime.mqttUrl ?? null) : null);

  app.get('/api/v1/mqtt-devices', {
    config: { access: 'machine:config' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(s.Device) }), ...errorResponses } },
    handler: async () => ({ items: await listDevices(db()) }),
  });

  app.post('/api/v1/mqtt-devices', {
    config: { access: 'machine:config' },
    schema: { tags, body: s.DeviceCreate, response: { 201: s.DeviceWithPassword, ...errorResponses } },
    handler: async (req, reply) => {
      const { device, password } = await createDevice(db(), actorOf(req), req.body);
      return reply.status(201).send({ ...device, password, mqttUrl: mqttUrl() });
    },
  });

  app.post('/api/v1/mqtt-devices/:id/rotate', {
    config: { access: 'machine:config' },
    schema: { tags, params: s.DeviceIdParams, response: { 200: s.DeviceWithPassword, ...errorResponses } },
    handler: async (req) => {
      const { device, password } = await rotateDevice(db(), actorOf(req), id(req));
      // Connections made with the old password end now, not when the device next reconnects.
      runtime.broker?.disconnectDevice(device.username);
      return { ...device, password, mqttUrl: mqttUrl() };
    },
  });

  app.delete('/api/v1/mqtt-devices/:id', {
    config: { access: 'machine:config' },
    schema: { tags, params: s.DeviceIdParams, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      const device = await revokeDevice(db(), actorOf(req), id(req));
      runtime.broker?.disconnectDevice(device.username);
      return reply.status(204).send(null);
    },
  });
}
