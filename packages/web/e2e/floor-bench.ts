/**
 * `npm run bench:floor`: the floor app's figures on the demo shop, in Debian Chromium against a
 * real Kerf server (PGlite, loopback):
 * - queue screen time to content on a phone (390x844) with 4x CPU throttling, cold (first visit:
 *   no service worker, no cache) and warm (a reload: shell from the service worker);
 * - transaction round trip (one transaction per POST, as a tap online sends it) p50/p99;
 * - replay of a 500-transaction backlog left in IndexedDB by an offline tablet.
 * Prints a table; record results in docs/benchmarks.md.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { setUpFloor, type FloorShop } from './floor-harness';
import { call, launch, startServer, type KerfServer } from './harness';

const RUNS = Number(process.env.KERF_BENCH_RUNS ?? 7);
const ROUND_TRIPS = Number(process.env.KERF_BENCH_ROUND_TRIPS ?? 400);
const BACKLOG = 500;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function signedInContext(server: KerfServer, shop: FloorShop, context: BrowserContext): Promise<Page> {
  const op = await call<{ token: string; expiresAt: string; user: unknown }>(
    server,
    'POST',
    '/floor/sign-in',
    shop.station.token,
    { userId: shop.operator.id, pin: shop.operator.pin },
  );
  const station = { token: shop.station.token, id: shop.station.id, name: 'bench', workCenterIds: [shop.workCenterId] };
  await context.addInitScript(
    ([s, o]) => {
      if (!localStorage.getItem('kerf.floor.station')) {
        localStorage.setItem('kerf.floor.station', s);
        localStorage.setItem('kerf.floor.operator', o);
      }
      localStorage.setItem('kerf.floor.active', String(Date.now()));
    },
    [JSON.stringify(station), JSON.stringify(op)] as const,
  );
  return context.newPage();
}

async function timeToQueue(page: Page): Promise<number> {
  await page.locator('.fl-card').first().waitFor({ timeout: 60_000 });
  return page.evaluate(() => performance.now());
}

async function main() {
  const server = await startServer();
  const browser = await launch();
  try {
    const shop = await setUpFloor(server);
    const rows: Array<[string, string]> = [];

    // 1. queue screen time to content, phone, 4x CPU throttling
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
      const page = await signedInContext(server, shop, context);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${server.url}/floor`);
      cold.push(await timeToQueue(page));
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      warm.push(await timeToQueue(page));
      await context.close();
      process.stdout.write(`\rqueue screen: run ${i + 1}/${RUNS}`);
    }
    process.stdout.write('\n');
    rows.push([
      'queue screen, phone 390x844, 4x CPU, cold: median (min-max)',
      `${ms(pct(cold, 50))} (${ms(Math.min(...cold))}-${ms(Math.max(...cold))})`,
    ]);
    rows.push([
      'queue screen, phone 390x844, 4x CPU, warm reload: median (min-max)',
      `${ms(pct(warm, 50))} (${ms(Math.min(...warm))}-${ms(Math.max(...warm))})`,
    ]);

    // 2. transaction round trip: start one operation, then pause/resume one per request
    const operation = shop.items[0]!.operationId;
    const send = async (seq: number, type: string, extra: Record<string, unknown> = {}) => {
      const t = performance.now();
      const answer = await call<{ results: Array<{ status: string; message: string }> }>(
        server,
        'POST',
        '/floor/transactions',
        shop.station.token,
        {
          transactions: [
            {
              id: crypto.randomUUID(),
              deviceId: 'bench-round-trip',
              seq,
              at: new Date().toISOString(),
              type,
              operationId: operation,
              employee: shop.operator.id,
              ...extra,
            },
          ],
        },
      );
      if (answer.results[0]?.status !== 'applied') throw new Error(`${type}: ${JSON.stringify(answer.results)}`);
      return performance.now() - t;
    };
    await send(1, 'start');
    const trips: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      trips.push(await send(i + 2, i % 2 === 0 ? 'pause' : 'resume', i % 2 === 0 ? { reason: 'BREAK' } : {}));
      if (i % 20 === 0) process.stdout.write(`\rround trips: ${i}/${ROUND_TRIPS}`);
    }
    process.stdout.write('\n');
    rows.push([
      `transaction round trip (${ROUND_TRIPS}, one per POST): p50 / p99`,
      `${pct(trips, 50).toFixed(1)} / ${pct(trips, 99).toFixed(1)} ms`,
    ]);

    // 3. a 500-transaction backlog left by an offline tablet, replayed when the network returns
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await signedInContext(server, shop, context);
    await page.goto(`${server.url}/floor`);
    await page.locator('.fl-card').first().waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    const backlogOp = shop.items[1]!.operationId;
    await page.evaluate(
      async ([op, employee, n]) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open('kerf-floor');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const tx = db.transaction(['outbox', 'meta'], 'readwrite');
        const outbox = tx.objectStore('outbox');
        const meta = tx.objectStore('meta');
        meta.put('bench-backlog-tablet', 'deviceId');
        meta.put(n + 1, 'nextSeq');
        for (let seq = 1; seq <= n; seq++) {
          const type = seq === 1 ? 'start' : seq % 2 === 0 ? 'pause' : 'resume';
          outbox.put({
            id: crypto.randomUUID(),
            deviceId: 'bench-backlog-tablet',
            seq,
            at: new Date(Date.now() - (n - seq)).toISOString(), // 1 ms apart, after the sign-in
            type,
            operationId: op,
            employee,
            ...(type === 'pause' ? { reason: 'BREAK' } : {}),
            label: `${type} (backlog)`,
            employeeName: 'bench',
          });
        }
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      },
      [backlogOp, shop.operator.id, BACKLOG] as const,
    );
    await page.reload();
    await page
      .getByTestId('sync-badge')
      .filter({ hasText: `${BACKLOG} to send` })
      .waitFor();
    const t0 = performance.now();
    await context.setOffline(false);
    await page
      .getByTestId('sync-badge')
      .filter({ hasText: /^Synced/ })
      .waitFor({ timeout: 120_000 });
    const replay = performance.now() - t0;
    const view = await call<{ status: string }>(server, 'GET', `/floor/operations/${backlogOp}`, shop.admin);
    const badge = await page.getByTestId('sync-badge').textContent();
    // start, then pause (even seq) and resume (odd): the 500th is a pause
    if (view.status !== 'paused' || badge !== 'Synced') {
      await page.getByTestId('sync-badge').click();
      throw new Error(`backlog did not apply in full: ${view.status}, ${await page.locator('.fl-sync').textContent()}`);
    }
    rows.push([
      `replay of a ${BACKLOG}-transaction backlog (pages of 100)`,
      `${ms(replay)} = ${((BACKLOG / replay) * 1000).toFixed(0)} transactions/s`,
    ]);
    await context.close();

    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\n| ${'floor app'.padEnd(width)} | result |\n|${'-'.repeat(width + 2)}|---|`);
    for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
