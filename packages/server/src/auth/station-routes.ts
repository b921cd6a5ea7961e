import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { actorOf } from '../platform/http/route-access.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import type { CredentialChanges } from './credential-changes.js';
import {
  NewStation,
  OperatorCredential,
  OperatorCredentialBody,
  Station,
  StationCreated,
  StationScreen,
  StationSignInAnswer,
  StationSignInBody,
} from './station-schemas.js';
import { setOperatorCredential, signInOnStation, signOutOfStation, stationRoster } from './station-sign-in.js';
import { createStation, listStations, revokeStation, stationById } from './stations.js';

const tags = ['floor'];

/** Stations (shared floor tablets), operator badges and PINs, and signing in on a station. */
export function registerStationRoutes(fastify: FastifyInstance, ctx: AppContext, credentials: CredentialChanges): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;

  app.post('/api/v1/floor/stations', {
    config: { access: 'user:admin' },
    schema: { tags, body: NewStation, response: { 201: StationCreated, ...errorResponses } },
    handler: async (req, reply) => reply.status(201).send(await createStation(db(), actorOf(req), req.body)),
  });

  app.get('/api/v1/floor/stations', {
    config: { access: 'user:admin' },
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(Station) }), ...errorResponses } },
    handler: async () => ({ items: await listStations(db()) }),
  });

  app.post('/api/v1/floor/stations/:id/revoke', {
    config: { access: 'user:admin' },
    schema: { tags, params: IdParams, response: { 200: Station, ...errorResponses } },
    handler: async (req) => revokeStation(db(), credentials, actorOf(req), req.params.id),
  });

  app.put('/api/v1/users/:id/floor-credential', {
    config: { access: 'user:admin' },
    schema: {
      tags,
      params: IdParams,
      body: OperatorCredentialBody,
      response: { 200: OperatorCredential, ...errorResponses },
    },
    handler: async (req) => setOperatorCredential(db(), actorOf(req), req.params.id, req.body),
  });

  // What the station's token alone opens: its own record and the list to pick a name from.
  app.get('/api/v1/floor/station', {
    config: { access: 'station:use' },
    schema: { tags, response: { 200: StationScreen, ...errorResponses } },
    handler: async (req) => {
      const actor = actorOf(req);
      const station = actor.stationId ? await stationById(db(), actor.stationId) : undefined;
      if (!station || actor.type !== 'station') {
        throw new AppError('forbidden', 'not_a_station', 'this is the station screen: use the station’s device token');
      }
      return {
        station: { id: station.id, name: station.name, workCenterIds: station.workCenterIds },
        operators: await stationRoster(db()),
      };
    },
  });

  app.post('/api/v1/floor/sign-in', {
    config: { access: 'station:use' },
    schema: { tags, body: StationSignInBody, response: { 200: StationSignInAnswer, ...errorResponses } },
    handler: async (req) => signInOnStation(db(), actorOf(req), req.body),
  });

  app.post('/api/v1/floor/sign-out', {
    config: { access: 'production:report' },
    schema: { tags, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      const token = req.headers.authorization?.slice(7).trim() ?? '';
      await signOutOfStation(db(), credentials, token);
      return reply.status(204).send(null);
    },
  });
}
