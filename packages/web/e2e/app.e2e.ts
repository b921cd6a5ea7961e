/**
 * The app on the standard demo shop, in headless Chromium: login, planner bars and a
 * server-checked drag, a plan run published, a department dashboard, an operator's limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  apiLogin,
  call,
  dragFirstBar,
  launch,
  shot,
  startServer,
  uiLogin,
  type KerfServer,
} from './harness';

interface Slot {
  jobId: string;
  workCenterId: string;
  plannedStart: string;
  plannedEnd: string;
}

describe('Kerf web app (demo shop)', () => {
  let server: KerfServer;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    token = await apiLogin(server, 'admin', ADMIN_PASSWORD);
    // A large office screen: every work center row of the demo shop fits without scrolling.
    page = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in as admin with the keyboard and shows the full navigation', async () => {
    await uiLogin(page, server, 'admin', ADMIN_PASSWORD);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of [
      'Queue',
      'Planner',
      'Plan runs',
      'CTP',
      'Bottlenecks',
      'Dashboard',
      'Machines',
      'Jobs',
      'Sigmanest',
      'Admin',
    ]) {
      await expect(nav.getByRole('link', { name: label, exact: true }).count()).resolves.toBe(1);
    }
    // Keyboard: the skip link comes first, then the navigation in order.
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Queue');
    await shot(page, '01-admin-home');
  });

  it('shows the planner with bars for every work center that has work in view', async () => {
    // The first window is Monday to Monday of this week (UTC).
    const from = await page.evaluate(() => {
      const d = new Date();
      const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      m.setUTCDate(m.getUTCDate() - ((m.getUTCDay() + 6) % 7));
      return m.toISOString();
    });
    const to = new Date(Date.parse(from) + 7 * 86_400_000).toISOString();
    const page1 = await call<{ items: Slot[] }>(
      server,
      'GET',
      `/schedule-slots?from=${from}&to=${to}&limit=500`,
      token,
    );
    // The demo's schedule fits its shifts (breaks included), so it has no conflict to show:
    // make one job late (due before its first bar ends) for the conflicts list below.
    const late = page1.items[0]!;
    const job = await call<{ version: number }>(server, 'GET', `/jobs/${late.jobId}`, token);
    await call(server, 'PATCH', `/jobs/${late.jobId}`, token, { dueDate: from, version: job.version });
    await page.getByRole('link', { name: 'Planner', exact: true }).click();
    await page.locator('.timeline[data-rendered]').waitFor({ timeout: 60_000 });
    const centers = [...new Set(page1.items.map((s) => s.workCenterId))];
    expect(centers.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const wc of centers)
      if ((await page.locator(`.vis-item.slot[class~="wc-${wc}"]`).count()) === 0) missing.push(wc);
    expect(missing).toEqual([]);
    expect(await page.locator('.vis-item.nonworking').count()).toBeGreaterThan(0);
    // The conflicts list is linked to the Gantt: choosing a conflict selects its bars.
    await page.locator('.conflicts summary').click();
    await page.locator('.conflicts li button').first().click();
    await page.locator('.vis-item.slot.vis-selected').first().waitFor();
    await shot(page, '02-planner');
    // Colour by job, then back to priority: the bars are re-classed in place.
    await page.getByLabel('Colour by').selectOption('job');
    await page.locator('.vis-item.slot[class*="jobc-"]').first().waitFor();
    await page.getByLabel('Colour by').selectOption('priority');
    await page.locator('.vis-item.slot[class*="prio-"]').first().waitFor();
  });

  it('drags a bar and shows the server verdict before committing', async () => {
    const drag = await dragFirstBar(page, 120);
    console.log(
      `drag feedback (demo shop): mousedown→panel ${drag.toPanelMs} ms, mouseup→server verdict ${drag.toVerdictMs} ms (${drag.phase})`,
    );
    await shot(page, '03-planner-drag-verdict');
    const panel = page.getByRole('complementary', { name: 'Move' });
    if (drag.phase === 'verdict') {
      await expect(panel.textContent()).resolves.toMatch(/retimed/);
      await panel.getByRole('button', { name: 'Confirm move' }).click();
      await page.locator('.move-panel[data-phase="committed"]').waitFor({ timeout: 30_000 });
    } else {
      await expect(panel.textContent()).resolves.toMatch(/Refused/);
    }
  });

  it('drags a bar onto another row and shows the verdict (a refusal explains why)', async () => {
    // Dragging down a few rows lands in another department; the server says why it refuses.
    const drag = await dragFirstBar(page, 0, 260);
    await shot(page, '04-planner-drag-other-row');
    const text = (await page.locator('.move-panel').textContent()) ?? '';
    if (drag.phase === 'refused') expect(text).toMatch(/Refused: .+/);
    else expect(text).toMatch(/possible/);
    const close = page.getByRole('complementary', { name: 'Move' }).getByRole('button', { name: /Close|Cancel/ });
    await close.first().click();
  });

  it('runs a plan with live progress, then publishes it', async () => {
    await page.getByRole('link', { name: 'Plan runs', exact: true }).click();
    await page.getByLabel('Time limit (seconds)').fill('2');
    await page.getByRole('button', { name: 'Start plan run' }).click();
    await page.locator('[data-testid="run-status"]', { hasText: 'done' }).waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Publish plan' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.progress-list li').count()).toBeGreaterThan(0);
    await shot(page, '05-plan-run-draft');
    await page.getByRole('button', { name: 'Publish plan' }).click();
    await page.locator('[data-testid="plan-status"]', { hasText: 'published' }).waitFor({ timeout: 30_000 });
    await shot(page, '06-plan-published');
  });

  it('opens a department dashboard', async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.locator('.cards a').first().click();
    await page.getByRole('heading', { name: 'Load per work center' }).waitFor();
    // machine tiles: live ones once the server has machine data, "no data" ones before
    await page.locator('.tile').first().waitFor({ timeout: 30_000 });
    await page.locator('.queue, .status.empty').first().waitFor();
    await shot(page, '07-department');
  });

  it('charts load against capacity on the bottleneck page', async () => {
    await page.getByRole('link', { name: 'Bottlenecks', exact: true }).click();
    await page.locator('.chart:not(.heatmap) canvas').first().waitFor({ timeout: 30_000 });
    await page.locator('.chart.heatmap canvas').first().waitFor();
    const second = page.locator('tbody tr').nth(1).getByRole('button');
    const id = (await second.textContent())?.trim() ?? '';
    await second.click();
    await page.getByRole('heading', { name: new RegExp(`Load against capacity: ${id}`) }).waitFor();
    await page.locator('.chart:not(.heatmap) canvas').first().waitFor();
    await shot(page, '08-bottlenecks');
  });

  it('lists jobs and opens one with its routing and slots, in the dark theme', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByLabel('Search').fill('J26');
    await page.locator('tbody tr a').first().click();
    await page.getByRole('heading', { name: 'Routing' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(1);
    await page
      .locator('td', { hasText: /→|not scheduled/ })
      .first()
      .waitFor();
    await shot(page, '09-job-detail-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('walks an operator login without the admin and planning pages', async () => {
    await call(server, 'POST', '/users', token, { username: 'op1', password: 'operator-pass', role: 'operator' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await uiLogin(page, server, 'op1', 'operator-pass');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const labels = (await nav.getByRole('link').allTextContents()).map((s) => s.trim());
    expect(labels).toEqual(['Queue', 'Dashboard', 'Machines', 'Jobs']);
    await page.goto(`${server.url}/plan-runs`);
    await page.getByRole('heading', { name: 'No access' }).waitFor();
    await shot(page, '10-operator-plan-runs-denied');
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { name: 'No access' }).waitFor();
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await page.locator('.queue li, .status.empty').first().waitFor();
    await shot(page, '11-operator-queue');
  });
});
