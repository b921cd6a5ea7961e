/**
 * The floor app in Debian Chromium against a real Kerf server with the demo shop: a station
 * token opens the tablet, an operator signs in with a PIN, a traveler code is scanned with a
 * keyboard wedge (fast keystrokes + Enter), the operation is started, paused with a reason,
 * resumed and finished with good and scrap; a supervisor sees the reported problem. Once on a
 * phone (390x844) and once on a tablet (1280x800).
 */
import { encodeCode } from '@kerf/floor-codes';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiLogin, call, launch, shot, startServer, type KerfServer } from './harness';

interface QueueItem {
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
  operator: { id: string; name: string; pin: string };
  supervisor: { id: string; name: string; pin: string };
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
  const person = async (username: string, role: string, pin: string) => {
    const user = await call<{ id: string }>(server, 'POST', '/users', admin, {
      username,
      password: 'Kerf-floor-shift-2026!',
      role,
      displayName: username.replace(/^\w/, (c) => c.toUpperCase()),
    });
    await call(server, 'PUT', `/users/${user.id}/floor-credential`, admin, { pin });
    return { id: user.id, name: username.replace(/^\w/, (c) => c.toUpperCase()), pin };
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
    operator: await person(`olga${Date.now() % 1000}`, 'operator', '4711'),
    supervisor: await person(`sam${Date.now() % 1000}`, 'supervisor', '2468'),
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

async function operation(server: KerfServer, token: string, id: string) {
  return call<{ status: string; good: number; scrap: number; actualStart: string | null; actualEnd: string | null }>(
    server,
    'GET',
    `/floor/operations/${id}`,
    token,
  );
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('floor app', () => {
  let server: KerfServer;
  let browser: Browser;
  let shop: FloorShop;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    shop = await setUpFloor(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [name, viewport, index] of [
    ['phone', { width: 390, height: 844 }, 0],
    ['tablet', { width: 1280, height: 800 }, 1],
  ] as const) {
    it(`on a ${name} (${viewport.width}x${viewport.height}): sign in, scan, start, pause, resume, finish, report`, async () => {
      const context = await browser.newContext({ viewport, hasTouch: true });
      const page = await context.newPage();
      const item = shop.items[index]!;
      await openStation(page, server, shop.station.token);
      await pinSignIn(page, shop.operator.name, shop.operator.pin);
      await page.locator(`.fl-card[data-operation="${item.operationId}"]`).waitFor();
      // primary actions are glove-sized: at least 20 mm (75.6 CSS px)
      const clockIn = await page.getByRole('button', { name: 'Clock in' }).boundingBox();
      expect(clockIn!.height).toBeGreaterThanOrEqual(75);

      await wedgeScan(page, encodeCode({ type: 'operation', routingId: item.operationId, revision: item.revision }));
      const panel = page.getByRole('region', { name: `Operation ${item.jobNumber} ${item.sequence}` });
      await panel.waitFor();
      await panel.getByRole('button', { name: 'Start', exact: true }).click();
      await until(
        'started',
        () => operation(server, shop.admin, item.operationId),
        (o) => o.status === 'running',
      );

      await panel.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.getByRole('dialog', { name: 'Why pause?' }).getByRole('button', { name: 'Break' }).click();
      await page.getByRole('dialog', { name: 'Why pause?' }).getByRole('button', { name: 'Pause' }).click();
      await until(
        'paused',
        () => operation(server, shop.admin, item.operationId),
        (o) => o.status === 'paused',
      );
      await expect.poll(() => panel.getByTestId('op-status').textContent()).toBe('paused');

      await panel.getByRole('button', { name: 'Resume' }).click();
      await until(
        'resumed',
        () => operation(server, shop.admin, item.operationId),
        (o) => o.status === 'running',
      );

      await panel.getByRole('button', { name: 'Finish' }).click();
      const finish = page.getByRole('dialog', { name: 'Finish: parts not yet booked' });
      await finish.getByRole('button', { name: 'Good minus one' }).click();
      await finish.getByRole('button', { name: 'Scrap plus one' }).click();
      await finish.getByRole('button', { name: 'Out of tolerance' }).click();
      await shot(page, `floor-${name}-finish`);
      // nothing wider than the screen (no sideways scrolling with a glove)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await finish.getByRole('button', { name: 'Finish' }).click();
      const done = await until(
        'finished',
        () => operation(server, shop.admin, item.operationId),
        (o) => o.status === 'finished',
      );
      expect(done).toMatchObject({ good: item.quantity - 1, scrap: 1 });
      expect(done.actualStart).not.toBeNull();
      expect(done.actualEnd).not.toBeNull();
      await expect.poll(() => panel.getByTestId('op-status').textContent()).toBe('finished');

      // a problem report from this machine reaches the supervisor
      await panel.getByRole('button', { name: 'Report a problem' }).click();
      const report = page.getByRole('dialog', { name: 'Report a problem' });
      await report.getByRole('tab', { name: 'Machine down' }).click();
      await report.getByRole('button', { name: 'Mechanical' }).click();
      await report.getByRole('button', { name: 'Hydraulics' }).click();
      const note = `hose leaking on ${name}`;
      await report.getByLabel('What happened (optional)').fill(note);
      await report.getByRole('button', { name: 'Send report' }).click();
      await page.getByText('Report queued').waitFor();

      const boss = await (await browser.newContext({ viewport })).newPage();
      await openStation(boss, server, shop.station.token);
      await pinSignIn(boss, shop.supervisor.name, shop.supervisor.pin);
      await boss.getByRole('button', { name: 'Problems' }).click();
      await boss.getByTestId('supervisor-issue').filter({ hasText: note }).waitFor({ timeout: 20_000 });
      await shot(boss, `floor-${name}-supervisor`);
      await boss.context().close();
      await shot(page, `floor-${name}-queue`);
      await context.close();
    });
  }
});
