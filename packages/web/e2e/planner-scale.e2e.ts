/**
 * The planner at scale: a generated shop of 350 jobs planned and published (about 2,000
 * operations). Measures and prints the first render and the drag feedback, in the browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  apiLogin,
  call,
  dragFirstBar,
  launch,
  loadDemo,
  runAndPublish,
  shot,
  startServer,
  uiLogin,
  type KerfServer,
} from './harness';

describe('planner with ~2,000 operations', () => {
  let server: KerfServer;
  let browser: Browser;
  let page: Page;
  let operations = 0;
  let inWindow = 0;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer((dir) => loadDemo(dir, 350, 3)), launch()]);
    const token = await apiLogin(server, 'admin', ADMIN_PASSWORD);
    await runAndPublish(server, token, 3);
    operations = (await call<{ total: number }>(server, 'GET', '/schedule-slots?limit=1', token)).total;
    // The planner loads four weeks from this week's Monday (UTC).
    const now = new Date();
    const monday =
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ((now.getUTCDay() + 6) % 7) * 86_400_000;
    const window = `from=${new Date(monday).toISOString()}&to=${new Date(monday + 28 * 86_400_000).toISOString()}`;
    inWindow = (await call<{ total: number }>(server, 'GET', `/schedule-slots?${window}&limit=1`, token)).total;
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('console', (m) => {
      if (m.text().startsWith('planner:')) console.log(`  browser ${m.text()}`);
    });
    await uiLogin(page, server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the planner quickly', async () => {
    expect(operations).toBeGreaterThan(1800);
    expect(inWindow).toBeGreaterThan(1500);
    await page.evaluate(() =>
      document.addEventListener('click', () => performance.mark('kerf:open-planner'), { capture: true, once: true }),
    );
    await page.getByRole('link', { name: 'Planner', exact: true }).click();
    await page.locator('.timeline[data-rendered]').waitFor({ timeout: 60_000 });
    const ms = await page.evaluate(() => {
      const [open] = performance.getEntriesByName('kerf:open-planner');
      const [drawn] = performance.getEntriesByName('kerf:planner-rendered');
      return Math.round((drawn?.startTime ?? NaN) - (open?.startTime ?? NaN));
    });
    const loaded = Number(await page.locator('.timeline').getAttribute('data-rendered'));
    const bars = await page.locator('.vis-item.slot').count();
    console.log(
      `planner first render: ${ms} ms from the click to drawn bars (${loaded} operations in the four-week window loaded in pages of 500, ${bars} bars in the first week's view; ${operations} slots in all)`,
    );
    // Zoom out to the whole four weeks: every bar drawn at once.
    const t0 = Date.now();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.vis-item.slot').length > 0);
    const allBars = await page.locator('.vis-item.slot').count();
    console.log(`planner zoom to four weeks: ${Date.now() - t0} ms, ${allBars} bars drawn`);
    await shot(page, '12-planner-2000-ops');
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    expect(loaded).toBe(inWindow);
    expect(ms).toBeLessThan(5000); // the target is 2 s; a loaded shared CI machine gets headroom
  });

  it('answers a drag at once and with the server verdict soon after', async () => {
    const drag = await dragFirstBar(page, 90);
    console.log(
      `drag feedback (${operations} operations): mousedown→panel ${drag.toPanelMs} ms (of which drag move→panel ${drag.moveToPanelMs} ms; the rest is the driver's move steps), mouseup→server verdict ${drag.toVerdictMs} ms (${drag.phase})`,
    );
    await shot(page, '13-planner-2000-drag');
    expect(['verdict', 'refused']).toContain(drag.phase);
    expect(drag.toPanelMs).toBeLessThan(500); // the target is 100 ms
  });

  it('switches to the job view with its precedence arrows, and moves a bar by keyboard', async () => {
    const close = page.locator('.move-panel button', { hasText: /^(Close|Cancel)$/ });
    if ((await close.count()) > 0) await close.first().click();
    const t0 = Date.now();
    await page.getByLabel('Jobs', { exact: true }).check();
    await page.waitForFunction(() => Number(document.querySelector('svg.precedence')?.getAttribute('data-edges')) > 0, {
      timeout: 30_000,
    });
    const edges = await page.locator('svg.precedence').getAttribute('data-edges');
    const rows = await page.locator('.vis-label.job-group').count();
    console.log(
      `job view (${operations} operations): ${Date.now() - t0} ms to rows and ${edges} arrows (${rows} job rows drawn)`,
    );
    await shot(page, '14-planner-2000-job-view');
    // Keyboard feedback: key press to the panel showing the new target, timed in the page.
    await page.getByRole('region', { name: 'Schedule by job' }).focus();
    await page.keyboard.press('n');
    await page.locator('.vis-item.slot.vis-selected').waitFor();
    const ms = await page.evaluate(async () => {
      const started = performance.now();
      document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      for (;;) {
        if (document.querySelector('.move-panel[data-phase="dragging"]')) return performance.now() - started;
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    console.log(`keyboard move feedback (${operations} operations): ${Math.round(ms)} ms from the key to the panel`);
    await page.keyboard.press('Escape');
    await page.locator('.move-panel.idle').waitFor();
    expect(Number(edges)).toBeGreaterThan(0);
    expect(ms).toBeLessThan(500); // as for a drag; the target is 100 ms
  });
});
