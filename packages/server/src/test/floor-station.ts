import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { users } from '../auth/tables.js';
import type { Db } from '../platform/db.js';
import { bearer } from './harness.js';

/** The id of a harness user (one per role: operator, supervisor, ...). */
export async function userIdOf(db: Db, username: string): Promise<string> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
}

/**
 * What the floor tests start from: a station for the given work centers (its device token) and
 * a person with a badge and PIN for it, through the admin API as a shop would set it up; with
 * `signIn` the person is signed in on the station (by badge) and the session token answered.
 */
export async function floorStation(
  app: FastifyInstance,
  adminToken: string,
  opts: { workCenterIds: string[]; userId: string; badge: string; pin: string; name?: string; signIn?: boolean },
): Promise<{ id: string; token: string; session: string | null }> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/floor/stations',
    headers: bearer(adminToken),
    payload: { name: opts.name ?? `${opts.workCenterIds[0]} tablet`, workCenterIds: opts.workCenterIds },
  });
  expect(created.statusCode, created.body).toBe(201);
  const station = created.json() as { id: string; token: string };
  const cred = await app.inject({
    method: 'PUT',
    url: `/api/v1/users/${opts.userId}/floor-credential`,
    headers: bearer(adminToken),
    payload: { badge: opts.badge, pin: opts.pin },
  });
  expect(cred.statusCode, cred.body).toBe(200);
  if (!opts.signIn) return { ...station, session: null };
  const signIn = await app.inject({
    method: 'POST',
    url: '/api/v1/floor/sign-in',
    headers: bearer(station.token),
    payload: { badge: opts.badge },
  });
  expect(signIn.statusCode, signIn.body).toBe(200);
  return { ...station, session: (signIn.json() as { token: string }).token };
}
