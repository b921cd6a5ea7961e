/** The floor's calls, typed by the OpenAPI contract (schema.d.ts). */
import { ok } from '../api/client';
import type { components } from '../api/schema';
import { operatorApi, stationApi, type Operator, type Station } from './session';
import type { Queued } from './outbox';

export type FloorQueue = components['schemas']['FloorQueue'];
export type QueueItem = FloorQueue['items'][number];
export type FloorOperation = components['schemas']['FloorOperation'];
export type FloorReason = components['schemas']['FloorReason'];
export type MyFloorState = components['schemas']['MyFloorState'];
export type FloorProblem = components['schemas']['FloorProblem'];

export async function stationScreen(token: string) {
  const res = await fetch('/api/v1/floor/station', { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `the server answered ${res.status}`);
  }
  return (await res.json()) as components['schemas']['StationScreen'];
}

export async function signIn(body: { badge: string } | { userId: string; pin: string }): Promise<Operator> {
  const answer = await ok(stationApi.POST('/api/v1/floor/sign-in', { body }));
  return { token: answer.token, expiresAt: String(answer.expiresAt), user: answer.user };
}

export async function signOut(): Promise<void> {
  await ok(operatorApi.POST('/api/v1/floor/sign-out', {}));
}

export const queueOf = (workCenterId: string) =>
  ok(operatorApi.GET('/api/v1/floor/work-centers/{id}/queue', { params: { path: { id: workCenterId } } }));

export const operationOf = (id: string) =>
  ok(operatorApi.GET('/api/v1/floor/operations/{id}', { params: { path: { id } } }));

export const reasons = () => ok(operatorApi.GET('/api/v1/floor/reasons', {})).then((r) => r.items);

export const me = () => ok(operatorApi.GET('/api/v1/floor/me', {}));

export const shopSettings = () => ok(operatorApi.GET('/api/v1/shop-settings', {}));

export const floorProblems = () =>
  ok(operatorApi.GET('/api/v1/floor/problems', { params: { query: { sinceHours: 48, limit: 200 } } })).then(
    (r) => r.items,
  );

/** Sends one page of the offline queue as the station (the replay loop's `send`). */
export async function sendTransactions(batch: Queued[], station: Station | null) {
  if (!station) throw new Error('this tablet has no station token');
  const transactions = batch.map(({ label: _l, employeeName: _n, ...t }) => t);
  const answer = await ok(
    stationApi.POST('/api/v1/floor/transactions', { body: { transactions, sentAt: new Date().toISOString() } }),
  );
  return answer.results.map((r) => ({ ...r, field: r.field ?? undefined }));
}
