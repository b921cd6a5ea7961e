/** The floor app's test set-up: a station on the demo shop, people with PINs, scans. */
import { encodeCode } from '@kerf/floor-codes';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiLogin, call, type KerfServer } from './harness';

export interface QueueItem {
  slotId: string;
  operationId: string;
  revision: number;
  jobNumber: string;
  sequence: number;
  ready: boolean;
  floorStatus: string;
  quantity: number;
}

export interface FloorShop {
  admin: string;
  station: { id: string; token: string };
  workCenterId: string;
  items: QueueItem[];
  /** badge: what the badge card carries (an EMP code) */
  operator: { id: string; name: string; pin: string; badge: string };
  supervisor: { id: string; name: string; pin: string; badge: string };
}

/** A station on the demo work center with the most ready work, and two people with PINs. */
export async function setUpFloor(server: KerfServer): Promise<FloorShop> {
  const admin = await apiLogin(server, 'admin', ADMIN_PASSWORD);
  const centers = await call<{ items: Array<{ id: string }> }>(server, 'GET', '/work-centers?limit=200', admin);
  let best: { id: string; items: QueueItem[] } = { id: '', items: [] };
  for (const wc of centers.items) {
    const q = await call<{ items: QueueItem[] }>(server, 'GET', `/floor/work-centers/${wc.id}/queue`, admin);
    const ready = q.items.filter((i) => i.ready && i.floorStatus === 'not_started');
    if (ready.length > best.items.length) best = { id: wc.id, items: ready };
  }
  if (best.items.length < 4) throw new Error('the demo shop has no work center with 4 ready operations');
  const person = async (username: string, role: string, pin: string, badge: string) => {
    const user = await call<{ id: string }>(server, 'POST', '/users', admin, {
      username,
      password: 'Kerf-floor-shift-2026!',
      role,
      displayName: username.replace(/^\w/, (c) => c.toUpperCase()),
    });
    await call(server, 'PUT', `/users/${user.id}/floor-credential`, admin, { pin, badge });
    return {
      id: user.id,
      name: username.replace(/^\w/, (c) => c.toUpperCase()),
      pin,
      badge: encodeCode({ type: 'badge', badge }),
    };
  };
  const station = await call<{ id: string; token: string }>(server, 'POST', '/floor/stations', admin, {
    name: `${best.id} tablet`,
    workCenterIds: [best.id],
  });
  return {
    admin,
    station,
    workCenterId: best.id,
    items: best.items,
    operator: await person(`olga${Date.now() % 1000}`, 'operator', '4711', `B-${Date.now() % 100000}`),
    supervisor: await person(`sam${Date.now() % 1000}`, 'supervisor', '2468', `S-${Date.now() % 100000}`),
  };
}

export async function openStation(page: Page, server: KerfServer, token: string): Promise<void> {
  await page.goto(`${server.url}/floor#station=${encodeURIComponent(token)}`);
}

export async function pinSignIn(page: Page, name: string, pin: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  for (const d of pin) await page.locator('.fl-pad').getByRole('button', { name: d, exact: true }).click();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.locator('.fl-bar').waitFor();
}

/** What a wedge scanner does: the code as fast keystrokes, then Enter. */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 4 });
  await page.keyboard.press('Enter');
}

export async function operation(server: KerfServer, token: string, id: string) {
  return call<{ status: string; good: number; scrap: number; actualStart: string | null; actualEnd: string | null }>(
    server,
    'GET',
    `/floor/operations/${id}`,
    token,
  );
}

export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
