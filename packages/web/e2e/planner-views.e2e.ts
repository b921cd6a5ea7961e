/**
 * The planner in a shop on Chicago time: times in the shop zone, colour by setup category,
 * complete hover details, the job view with precedence arrows, and keyboard moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiLogin, call, launch, shot, startServer, uiLogin, type KerfServer } from './harness';

interface Slot {
  id: string;
  plannedStart: string;
  workCenterId: string;
}

const chicago = (iso: string) => {
  const p: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Chicago',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const x of f.formatToParts(new Date(iso))) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};

describe('planner views, shop time zone and keyboard moves', () => {
  let server: KerfServer;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(undefined, { KERF_TIMEZONE: 'America/Chicago' }), launch()]);
    token = await apiLogin(server, 'admin', ADMIN_PASSWORD);
    page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    await uiLogin(page, server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows times in the shop zone and colours bars by setup category with full hover details', async () => {
    await expect(page.locator('header .zone').textContent()).resolves.toContain('America/Chicago');
    await page.getByRole('link', { name: 'Planner', exact: true }).click();
    await page.locator('.timeline[data-rendered]').waitFor({ timeout: 60_000 });
    await page.getByLabel('Colour by').selectOption('setup');
    await page.locator('.vis-item.slot.setup-known').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.legend .swatch[class*="jobc-"]').count()).toBeGreaterThan(0);
    // Hover: the tooltip names customer, setup, run time and predecessors, times on Chicago clocks.
    const bar = page.locator('.vis-item.slot.setup-known').first();
    const id = (await bar.getAttribute('data-id')) ?? '';
    const slot = await call<Slot>(server, 'GET', `/schedule-slots/${id}`, token);
    await bar.hover();
    const tip = page.locator('.vis-tooltip');
    await tip.waitFor({ state: 'visible' });
    const text = (await tip.textContent()) ?? '';
    expect(text).toContain(chicago(slot.plannedStart));
    expect(text).toContain('America/Chicago');
    expect(text).toMatch(/Setup: .*run /);
    expect(text).toMatch(/Predecessors: /);
    expect(text).toMatch(/customer /);
    await shot(page, '20-planner-setup-colours-chicago');
  });

  it('shows the job view with precedence arrows between operations', async () => {
    await page.getByLabel('Jobs', { exact: true }).check();
    await page.locator('.timeline[data-view="jobs"] .vis-label.job-group').first().waitFor();
    await page.waitForFunction(() => Number(document.querySelector('svg.precedence')?.getAttribute('data-edges')) > 0, {
      timeout: 30_000,
    });
    const edges = Number(await page.locator('svg.precedence').getAttribute('data-edges'));
    console.log(`job view: ${edges} precedence arrows drawn in view`);
    expect(await page.locator('svg.precedence .precedence-lines').getAttribute('d')).toMatch(/^M[\d.-]+ [\d.-]+C/);
    await shot(page, '21-planner-job-view-arrows');
    await page.getByLabel('Work centers', { exact: true }).check();
    await page.locator('.timeline[data-view="resources"] .vis-label.dept-group').first().waitFor();
    expect(await page.locator('svg.precedence').count()).toBe(0);
  });

  it('moves a bar with the keyboard: select, shift, Enter checks, Escape puts it back', async () => {
    const timeline = page.getByRole('region', { name: 'Schedule by work center' });
    await timeline.focus();
    await page.keyboard.press('n');
    await page.locator('.vis-item.slot.vis-selected').waitFor();
    const announce = page.getByTestId('planner-announce');
    await expect(announce.textContent()).resolves.toMatch(/^Selected /);
    const selected = page.locator('.vis-item.slot.vis-selected');
    const id = (await selected.getAttribute('data-id')) ?? '';
    const before = await selected.boundingBox();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await page.locator('.move-panel[data-phase="dragging"]').waitFor();
    const moved = await page.locator(`.vis-item.slot[data-id="${id}"]`).boundingBox();
    expect(moved!.x).toBeGreaterThan(before!.x);
    // Escape before asking: the bar goes back.
    await page.keyboard.press('Escape');
    await page.locator('.move-panel.idle').waitFor();
    const back = await page.locator(`.vis-item.slot[data-id="${id}"]`).boundingBox();
    expect(Math.abs(back!.x - before!.x)).toBeLessThan(1);
    // Now for real: an hour later, Enter asks the server, Enter again confirms (or the refusal is shown).
    const original = await call<Slot>(server, 'GET', `/schedule-slots/${id}`, token);
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Enter');
    await page.locator('.move-panel[data-phase="verdict"], .move-panel[data-phase="refused"]').waitFor({
      timeout: 30_000,
    });
    await shot(page, '22-planner-keyboard-verdict');
    const phase = await page.locator('.move-panel').getAttribute('data-phase');
    if (phase === 'verdict') {
      await page.keyboard.press('Enter');
      await page.locator('.move-panel[data-phase="committed"]').waitFor({ timeout: 30_000 });
      const after = await call<Slot>(server, 'GET', `/schedule-slots/${id}`, token);
      expect(Date.parse(after.plannedStart)).toBeGreaterThan(Date.parse(original.plannedStart));
      await page.keyboard.press('Enter');
      await page.locator('.move-panel.idle').waitFor();
    } else {
      await expect(page.locator('.move-panel').textContent()).resolves.toMatch(/Refused: .+/);
      await page.keyboard.press('Escape');
      const after = await call<Slot>(server, 'GET', `/schedule-slots/${id}`, token);
      expect(after.plannedStart).toBe(original.plannedStart);
    }
  });
});
