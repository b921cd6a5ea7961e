/**
 * A plan run that waits: the shop runs one plan at a time (KERF_PLAN_RUNS_MAX_CONCURRENT=1),
 * so a planner starting a run while another is solving sees it queued with its place in the
 * queue, and it runs to its draft once the other ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiLogin, call, launch, shot, startServer, uiLogin, type KerfServer } from './harness';

describe('plan runs page with a queued run', () => {
  let server: KerfServer;
  let browser: Browser;
  let page: Page;
  let token: string;

  // Passwords of this file's own: long and unrelated to the user names.
  const adminPassword = 'queue-e2e-kestrel-41';
  const plannerPassword = 'queue-e2e-heron-73';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(undefined, { KERF_ADMIN_PASSWORD: adminPassword }), launch()]);
    token = await apiLogin(server, 'admin', adminPassword);
    await call(server, 'POST', '/users', token, {
      username: 'planner2',
      password: plannerPassword,
      role: 'supervisor',
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await uiLogin(page, server, 'planner2', plannerPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a run queued behind another one with its position, then runs it', async () => {
    const other = await call<{ id: string; status: string }>(server, 'POST', '/plan-runs', token, {
      timeLimitSeconds: 60,
    });
    expect(other.status).toBe('running');
    await page.getByRole('link', { name: 'Plan runs', exact: true }).click();
    await page.getByLabel('Time limit (seconds)').fill('1');
    await page.getByRole('button', { name: 'Start plan run' }).click();
    await page.locator('[data-testid="run-status"]', { hasText: 'queued' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="queue-position"]', { hasText: '#1 in the queue' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Start plan run' }).isDisabled()).toBe(true);
    await shot(page, '40-plan-run-queued');
    await call(server, 'POST', `/plan-runs/${other.id}/cancel`, token);
    await page.locator('[data-testid="run-status"]', { hasText: 'done' }).waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid="queue-position"]').count()).toBe(0);
  });
});
