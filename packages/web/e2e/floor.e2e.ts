/**
 * The floor app in Debian Chromium against a real Kerf server with the demo shop: a station
 * token opens the tablet, an operator signs in with a PIN, a traveler code is scanned with a
 * keyboard wedge (fast keystrokes + Enter), the operation is started, paused with a reason,
 * resumed and finished with good and scrap; a supervisor sees the reported problem. Once on a
 * phone (390x844) and once on a tablet (1280x800).
 */
import { encodeCode } from '@kerf/floor-codes';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStation, operation, pinSignIn, setUpFloor, until, wedgeScan, type FloorShop } from './floor-harness';
import { ADMIN_PASSWORD, launch, shot, startServer, uiLogin, type KerfServer } from './harness';

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

      if (name === 'tablet') {
        // the planner draws the actual under the planned bar
        const planner = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
        await uiLogin(planner, server, 'admin', ADMIN_PASSWORD);
        await planner.getByRole('link', { name: 'Planner', exact: true }).click();
        await planner.locator('.timeline[data-rendered]').waitFor({ timeout: 60_000 });
        await planner.getByRole('button', { name: 'Now', exact: true }).click();
        await planner.getByRole('button', { name: 'Day', exact: true }).click();
        const actual = planner.locator(`.vis-item.actual[data-id="actual:${item.slotId}"]`);
        await actual.waitFor({ timeout: 30_000 });
        expect(await actual.getAttribute('class')).not.toMatch(/\brunning\b/);
        await shot(planner, 'floor-tablet-planner-actual');
        await planner.context().close();
      }

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

      if (name === 'phone') {
        // idle for longer than the sign-out time: the next look at the tablet asks who it is
        await page.evaluate(() => localStorage.setItem('kerf.floor.active', String(Date.now() - 11 * 60_000)));
        await page.reload();
        await page.getByText('Scan your badge, or tap your name and enter your PIN.').waitFor();
        // a badge card through the wedge scanner signs in at once
        await wedgeScan(page, shop.operator.badge);
        await page.locator('.fl-who', { hasText: shop.operator.name }).waitFor();
      }
      await context.close();
    });
  }
});
