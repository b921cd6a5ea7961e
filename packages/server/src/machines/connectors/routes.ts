import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ConnectorManager } from './connector-manager.js';
import { DateTime, errorResponses, Nullable, Uuid } from '../../platform/http/schemas.js';

const ConnectorStatusSchema = Type.Object({
  machineId: Uuid,
  code: Type.String(),
  protocol: Type.String(),
  connected: Type.Boolean(),
  startedAt: DateTime,
  lastEventAt: Nullable(DateTime),
  events: Type.Integer(),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(DateTime),
  restarts: Type.Integer(),
});

/** What the route reports: the connector manager of this process, when it runs connectors. */
export interface ConnectorStatusSource {
  status(): ReturnType<ConnectorManager['status']>;
}

export function registerConnectorRoutes(fastify: FastifyInstance, connectors: ConnectorStatusSource | undefined): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/machine-connectors', {
    config: { access: 'machine:view' },
    schema: {
      tags: ['machines'],
      description: 'the MTConnect and OPC UA clients this Kerf process runs, one per enabled machine',
      response: { 200: Type.Object({ items: Type.Array(ConnectorStatusSchema) }), ...errorResponses },
    },
    handler: async () => ({ items: connectors?.status() ?? [] }),
  });
}
