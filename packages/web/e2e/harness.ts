/** Test harness: a real Kerf server as a child process, headless Debian Chromium, API helpers. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
export const ADMIN_PASSWORD = 'e2e-owner-secret';
// KERF_E2E_SERVER_DIR runs another build of the server (a clean checkout while this tree changes).
const SERVER_DIR = process.env.KERF_E2E_SERVER_DIR ?? join(REPO, 'packages/server');
const MAIN = join(SERVER_DIR, 'dist/main.js');
const CLI = join(SERVER_DIR, 'bin/kerf.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface KerfServer {
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
}

/** Loads a generated demo shop of `jobs` jobs into a fresh data dir (kerf demo). */
export function loadDemo(dataDir: string, jobs: number, seed: number): void {
  const r = spawnSync(process.execPath, [CLI, 'demo', '--jobs', String(jobs), '--seed', String(seed)], {
    env: { ...process.env, KERF_DATA_DIR: dataDir, KERF_ADMIN_PASSWORD: ADMIN_PASSWORD },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`kerf demo failed: ${r.stderr}`);
}

const WEB_DIST = join(REPO, 'packages/web/dist');

// Servers started here die with the test process, even when it is killed mid-run.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * A private copy of the built web app: another `npm run build` on this machine empties
 * packages/web/dist while it rebuilds, which must not pull the pages from under a test.
 */
async function webCopy(into: string): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const index = join(WEB_DIST, 'index.html');
    if (existsSync(index)) {
      rmSync(into, { recursive: true, force: true });
      cpSync(WEB_DIST, into, { recursive: true });
      const html = existsSync(join(into, 'index.html')) ? readFileSync(join(into, 'index.html'), 'utf8') : '';
      const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
      if (html && assets.every((a) => existsSync(join(into, a)))) return into;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('packages/web/dist is not built: run npm run build');
}

/**
 * Starts packages/server/dist/main.js on a free port; with `prepare`, the data dir is filled
 * first; `env` adds settings (e.g. KERF_TIMEZONE).
 */
export async function startServer(
  prepare?: (dataDir: string) => void,
  env: Record<string, string> = {},
): Promise<KerfServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kerf-e2e-'));
  const webDir = await webCopy(`${dataDir}-web`);
  prepare?.(dataDir);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      KERF_DATA_DIR: dataDir,
      KERF_WEB_DIR: webDir,
      KERF_DEMO: 'true',
      KERF_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KERF_NIGHTLY_AT: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kerf exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`kerf did not become ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(webDir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium; `extraArgs` adds switches (e.g. a fake camera) to the usual ones. */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** A JSON call against the server's API. */
export async function call<T>(
  server: KerfServer,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export async function apiLogin(server: KerfServer, username: string, password: string): Promise<string> {
  return (await call<{ token: string }>(server, 'POST', '/auth/login', undefined, { username, password })).token;
}

/** Logs in through the form, submitting with Enter. */
export async function uiLogin(page: Page, server: KerfServer, username: string, password: string): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByLabel('User name').waitFor({ timeout: 60_000 });
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Runs a plan to completion through the API and publishes it (fills the schedule). */
export async function runAndPublish(server: KerfServer, token: string, seconds: number): Promise<void> {
  const { id } = await call<{ id: string }>(server, 'POST', '/plan-runs', token, { timeLimitSeconds: seconds });
  for (;;) {
    const run = await call<{ status: string; planId: string | null; error: string | null }>(
      server,
      'GET',
      `/plan-runs/${id}`,
      token,
    );
    if (run.status === 'done' && run.planId) {
      const plan = await call<{ version: number }>(server, 'GET', `/plans/${run.planId}`, token);
      await call(server, 'POST', `/plans/${run.planId}/publish`, token, { version: plan.version });
      return;
    }
    if (!['queued', 'running'].includes(run.status)) throw new Error(`plan run ${run.status}: ${run.error}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface DragTimes {
  down?: number;
  /** the last pointer move before the panel showed: the gesture the app answered */
  move?: number;
  up?: number;
  panel?: number;
  verdict?: number;
}

/** Drags the first bar well inside the view by dx/dy pixels; answers in-browser feedback times (ms). */
export async function dragFirstBar(
  page: Page,
  dx: number,
  dy = 0,
): Promise<{ toPanelMs: number; moveToPanelMs: number; toVerdictMs: number; phase: string }> {
  // Start from an idle panel, so that a verdict left from an earlier drag is not read as this one's.
  const dismiss = page.locator('.move-panel button', { hasText: /^(Close|Cancel)$/ });
  if ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.locator('.move-panel.idle').waitFor();
  // Timestamps taken in the page: pointer events and the first panel states (MutationObserver).
  await page.evaluate(() => {
    const t: DragTimes = {};
    (window as unknown as { __drag: DragTimes }).__drag = t;
    document.addEventListener('pointerdown', () => (t.down ??= performance.now()), { capture: true, once: true });
    document.addEventListener('pointerup', () => (t.up ??= performance.now()), { capture: true, once: true });
    document.addEventListener(
      'pointermove',
      () => {
        if (t.down !== undefined && t.panel === undefined) t.move = performance.now();
      },
      { capture: true },
    );
    const body = document.querySelector('.planner-body');
    if (!body) return;
    new MutationObserver(() => {
      const phase = document.querySelector('.move-panel')?.getAttribute('data-phase');
      if (phase && t.panel === undefined) t.panel = performance.now();
      if ((phase === 'verdict' || phase === 'refused') && t.verdict === undefined) t.verdict = performance.now();
    }).observe(body, { subtree: true, childList: true, attributes: true });
  });
  const bars = page.locator('.vis-item.slot');
  const n = await bars.count();
  const viewport = page.viewportSize() ?? { width: 1400, height: 900 };
  for (let i = 0; i < n; i++) {
    const box = await bars.nth(i).boundingBox();
    if (
      !box ||
      box.width < 24 ||
      box.x < 260 ||
      box.x + box.width > viewport.width - 360 ||
      box.y < 120 ||
      box.y > viewport.height - 60
    )
      continue;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 30, y + dy / 4, { steps: 3 }); // past the drag threshold in steps, like a hand
    // On a loaded machine the timeline may still be redrawing after a zoom, and the bar measured
    // above is no longer under the pointer: let go and try the next bar instead of waiting out the test.
    const pressed = await page
      .locator('.move-panel[data-phase]')
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!pressed) {
      await page.mouse.up();
      await page.waitForTimeout(300);
      continue;
    }
    await page.mouse.move(x + dx, y + dy, { steps: 5 });
    await page.mouse.up();
    await page
      .locator('.move-panel[data-phase="verdict"], .move-panel[data-phase="refused"]')
      .waitFor({ timeout: 30_000 });
    const t = await page.evaluate(() => (window as unknown as { __drag: DragTimes }).__drag);
    const phase = (await page.locator('.move-panel').getAttribute('data-phase')) ?? '';
    return {
      toPanelMs: Math.round((t.panel ?? NaN) - (t.down ?? NaN)),
      moveToPanelMs: Math.round((t.panel ?? NaN) - (t.move ?? NaN)),
      toVerdictMs: Math.round((t.verdict ?? NaN) - (t.up ?? NaN)),
      phase,
    };
  }
  throw new Error('no draggable bar in view');
}
