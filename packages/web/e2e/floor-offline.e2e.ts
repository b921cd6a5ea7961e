/**
 * The floor app offline: with the browser offline, 200 transactions over 3 operations and two
 * page reloads (the service worker serves the app, IndexedDB keeps the queue), then online:
 * every one is applied exactly once and in order. A conflict (the operation finished from
 * another tablet meanwhile) comes back as a result the operator sees.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStation, operation, pinSignIn, setUpFloor, type FloorShop } from './floor-harness';
import { call, launch, shot, startServer, type KerfServer } from './harness';

const tally = async (page: Page) => {
  await page.getByTestId('sync-badge').click();
  const text = (await page.getByTestId('sync-tally').textContent()) ?? '';
  await page.getByRole('button', { name: 'Back' }).click();
  return text;
};

describe('floor app offline', () => {
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

  it('queues 200 transactions over 3 operations and 2 reloads offline, then applies each once, in order', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    const page = await context.newPage();
    await openStation(page, server, shop.station.token);
    await pinSignIn(page, shop.operator.name, shop.operator.pin);
    const ops = shop.items.slice(0, 3);
    await page.locator(`.fl-card[data-operation="${ops[0]!.operationId}"]`).waitFor();
    // the service worker has the app shell before the network goes
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.locator('.fl-bar').waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    let made = 0;
    const panelOf = (i: number) =>
      page.getByRole('region', { name: `Operation ${ops[i]!.jobNumber} ${ops[i]!.sequence}` });
    const open = async (i: number) => {
      await page.locator(`.fl-card[data-operation="${ops[i]!.operationId}"]`).click();
      await panelOf(i).waitFor();
    };
    for (let i = 0; i < 3; i++) {
      await open(i);
      await panelOf(i).getByRole('button', { name: 'Start', exact: true }).click();
      made++;
      await panelOf(i).getByRole('button', { name: 'Count parts' }).click();
      await page.getByRole('dialog', { name: 'Count parts' }).getByRole('button', { name: 'Good plus one' }).click();
      await page.getByRole('dialog', { name: 'Count parts' }).getByRole('button', { name: 'Book' }).click();
      made++;
    }
    const reloadAt = new Set([70, 140]);
    let reloads = 0;
    for (let pair = 0; made < 200; pair++) {
      const i = pair % 3;
      await open(i);
      const panel = panelOf(i);
      await panel.getByRole('button', { name: 'Pause', exact: true }).click();
      const why = page.getByRole('dialog', { name: 'Why pause?' });
      await why.getByRole('button', { name: 'Waiting for crane or forklift' }).click();
      await why.getByRole('button', { name: 'Pause', exact: true }).click();
      await panel.getByRole('button', { name: 'Resume' }).click();
      made += 2;
      if ([...reloadAt].some((n) => made >= n && made - 2 < n)) {
        // the tap is acknowledged (shown as queued) once IndexedDB has it; then the tab goes
        await expect.poll(() => page.getByTestId('sync-badge').textContent()).toContain(`${made} to send`);
        await page.reload(); // offline: the service worker serves the app
        await page.locator('.fl-bar').waitFor();
        reloads++;
        await expect.poll(() => page.getByTestId('sync-badge').textContent()).toContain(`${made} to send`);
      }
    }
    expect(made).toBe(200);
    expect(reloads).toBe(2);
    await expect.poll(() => page.getByTestId('sync-badge').textContent()).toContain('200 to send');
    // nothing reached the server while offline
    expect((await operation(server, shop.admin, ops[0]!.operationId)).status).toBe('not_started');
    await shot(page, 'floor-offline-200-queued');

    const online = Date.now();
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('sync-badge').textContent(), { timeout: 60_000 }).toBe('Synced');
    const replayMs = Date.now() - online;
    expect(await tally(page)).toContain('0 waiting · 200 applied · 0 already there · 0 to check');
    for (const op of ops) {
      // start, one good part, then pause/resume pairs: running with 1 good
      expect(await operation(server, shop.admin, op.operationId)).toMatchObject({
        status: 'running',
        good: 1,
        scrap: 0,
      });
    }
    console.log(`floor offline: 200 transactions replayed in ${replayMs} ms after the network returned`);

    // A conflict: offline, this tablet books a part on an operation another tablet then finishes.
    await context.setOffline(true);
    await open(0);
    await panelOf(0).getByRole('button', { name: 'Count parts' }).click();
    await page.getByRole('dialog', { name: 'Count parts' }).getByRole('button', { name: 'Good plus one' }).click();
    await page.getByRole('dialog', { name: 'Count parts' }).getByRole('button', { name: 'Book' }).click();
    const other = await call<{ token: string }>(server, 'POST', '/floor/stations', shop.admin, {
      name: 'second tablet',
      workCenterIds: [shop.workCenterId],
    });
    const boss = await call<{ token: string }>(server, 'POST', '/floor/sign-in', other.token, {
      userId: shop.supervisor.id,
      pin: shop.supervisor.pin,
    });
    const [finished] = (
      await call<{ results: Array<{ status: string }> }>(server, 'POST', '/floor/transactions', boss.token, {
        transactions: [
          {
            id: crypto.randomUUID(),
            deviceId: 'second-tablet',
            seq: 1,
            at: new Date().toISOString(),
            type: 'finish',
            operationId: ops[0]!.operationId,
            good: 0,
          },
        ],
      })
    ).results;
    expect(finished!.status).toBe('applied');
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('sync-badge').textContent(), { timeout: 30_000 }).toContain('1 to check');
    await page.getByTestId('sync-badge').click();
    const problem = page.getByTestId('sync-problem');
    await expect.poll(() => problem.textContent()).toMatch(/Conflict.*already finished/);
    await shot(page, 'floor-offline-conflict');
    // the supervisor's list has it too
    const list = await call<{ items: Array<{ status: string; operationId: string }> }>(
      server,
      'GET',
      '/floor/problems',
      shop.admin,
    );
    expect(list.items.some((p) => p.status === 'conflict' && p.operationId === ops[0]!.operationId)).toBe(true);
    await context.close();
  });
});
