/**
 * Actual against planned in the planner: an operation reported late from a shared station
 * (operator signed in by PIN) is drawn as an actual bar at its actual times in its planned
 * bar's row, coloured late, with planned and actual times in the shop zone and the variance
 * in the tooltip; running work is marked; the planner follows the floor live (WebSocket).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, apiLogin, call, launch, shot, startServer, uiLogin, type KerfServer } from './harness';

const ZONE = 'America/Chicago';
const MIN = 60_000;

interface Slot {
  id: string;
  plannedStart: string;
  plannedEnd: string;
  actualStart: string | null;
  actualEnd: string | null;
  status: string;
}
interface Result {
  status: string;
  message: string;
}

/** Wall-clock minutes in the shop zone, as the planner writes them (YYYY-MM-DD HH:MM). */
const shopTime = (iso: string) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
};
const minutesBetween = (later: string, earlier: string) => Math.round((Date.parse(later) - Date.parse(earlier)) / MIN);

describe('planner: actual against planned from the floor', () => {
  let server: KerfServer;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let station: string;
  const op: Record<number, string> = {};
  const slotId: Record<number, string> = {};
  const device = `e2e-tablet-${randomUUID().slice(0, 8)}`;
  let seq = 0;
  const logs: string[] = [];

  const send = async (token: string, transactions: object[]) => {
    const { results } = await call<{ results: Result[] }>(server, 'POST', '/floor/transactions', token, {
      transactions: transactions.map((t) => ({ id: randomUUID(), deviceId: device, seq: ++seq, ...t })),
      sentAt: new Date().toISOString(),
    });
    expect(
      results.map((r) => r.status),
      JSON.stringify(results),
    ).toEqual(transactions.map(() => 'applied'));
  };
  const slot = (n: number) => call<Slot>(server, 'GET', `/schedule-slots/${slotId[n]}`, admin);
  const planned = (n: number) => page.locator(`.vis-item.slot[data-id="${slotId[n]}"]`);
  const actual = (n: number) => page.locator(`.vis-item.actual[data-id="actual:${slotId[n]}"]`);

  /** Where the actual bar of slot n must be, from its planned bar's pixels and the slot's times. */
  const expectActualDrawn = async (n: number, s: Slot, end: number) => {
    const p = await box(planned(n));
    const a = await box(actual(n));
    const ps = Date.parse(s.plannedStart);
    const pxPerMs = p.width / (Date.parse(s.plannedEnd) - ps);
    const left = p.x + (Date.parse(s.actualStart!) - ps) * pxPerMs;
    // a bar of seconds keeps a 3 px minimum, to be seen and hovered
    const right = Math.max(p.x + (end - ps) * pxPerMs, left + 3);
    expect(Math.abs(a.x - left), `actual left ${a.x} vs ${left}`).toBeLessThan(2);
    expect(Math.abs(a.x + a.width - right), `actual right ${a.x + a.width} vs ${right}`).toBeLessThan(2);
    // in the planned bar's row, along its bottom
    expect(Math.abs(a.y + a.height - (p.y + p.height)), 'same bottom as the planned bar').toBeLessThan(1.5);
    const stripe = await actual(n).evaluate((el) => getComputedStyle(el, '::after').height);
    expect(stripe).toBe('6px');
    return { planned: p, actual: a, pxPerMs };
  };

  beforeAll(async () => {
    // An empty shop (no demo), so that the rows under test are the only ones.
    [server, browser] = await Promise.all([
      startServer(undefined, { KERF_DEMO: 'false', KERF_TIMEZONE: ZONE }),
      launch(),
    ]);
    admin = await apiLogin(server, 'admin', ADMIN_PASSWORD);
    await call(server, 'POST', '/departments', admin, { id: 'cut', name: 'Cutting' });
    await call(server, 'POST', '/work-centers', admin, {
      id: 'LASER-A',
      name: 'Laser A',
      departmentId: 'cut',
      machineType: 'laser',
    });
    await call(server, 'POST', '/work-centers', admin, {
      id: 'BRAKE-A',
      name: 'Brake A',
      departmentId: 'cut',
      machineType: 'brake',
    });
    const job = await call<{ routings: { id: string; sequence: number }[] }>(server, 'POST', '/jobs', admin, {
      jobNumber: 'J-ACT-1',
      product: 'Cabinet side panel',
      quantity: 4,
      dueDate: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      priority: 2,
      parts: [{ partNumber: 'CSP-1', quantity: 4, materialCode: 'CRS', thickness: 0.0598 }],
      routings: [
        { sequence: 10, operationCode: 'CUT', workCenterType: 'laser', setupMinutes: 10, runMinutesPerUnit: 5 },
        {
          sequence: 20,
          operationCode: 'FORM',
          workCenterType: 'brake',
          setupMinutes: 10,
          runMinutesPerUnit: 5,
          dependsOn: [],
        },
      ],
    });
    for (const r of job.routings) op[r.sequence] = r.id;
    // CUT was due to run two hours ago to one hour ago; FORM from ten minutes from now.
    const now = Date.now();
    const place = async (n: number, wc: string, startMin: number, endMin: number) => {
      const s = await call<{ id: string }>(server, 'POST', '/schedule-slots', admin, {
        routingId: op[n],
        workCenterId: wc,
        plannedStart: new Date(now + startMin * MIN).toISOString(),
        plannedEnd: new Date(now + endMin * MIN).toISOString(),
      });
      slotId[n] = s.id;
    };
    await place(10, 'LASER-A', -120, -60);
    await place(20, 'BRAKE-A', 10, 70);
    // Another job's operation, untouched by the floor: a live refresh must not redraw it.
    const other = await call<{ routings: { id: string }[] }>(server, 'POST', '/jobs', admin, {
      jobNumber: 'J-ACT-2',
      product: 'Cabinet door',
      quantity: 2,
      dueDate: new Date(now + 7 * 86_400_000).toISOString(),
      priority: 3,
      parts: [{ partNumber: 'CD-1', quantity: 2, materialCode: 'CRS', thickness: 0.0598 }],
      routings: [
        { sequence: 10, operationCode: 'CUT', workCenterType: 'laser', setupMinutes: 10, runMinutesPerUnit: 5 },
      ],
    });
    op[99] = other.routings[0]!.id;
    await place(99, 'LASER-A', 180, 240);

    // A shared tablet at the cutting cells; the operator signs in on it with a PIN.
    const operator = await call<{ id: string }>(server, 'POST', '/users', admin, {
      username: 'op-kim',
      password: 'brake-press-7Qx!',
      role: 'operator',
    });
    await call(server, 'PUT', `/users/${operator.id}/floor-credential`, admin, { badge: 'K-7', pin: '2468' });
    station = (
      await call<{ token: string }>(server, 'POST', '/floor/stations', admin, {
        name: 'Cutting tablet',
        workCenterIds: ['LASER-A', 'BRAKE-A'],
      })
    ).token;
    await call(server, 'POST', '/floor/sign-in', station, { userId: operator.id, pin: '2468' });
    // The start half an hour late, booked by the supervisor for the operator (a forgotten start
    // put right afterwards: the station can only book from the moment the operator signed in).
    await send(admin, [
      { type: 'start', operationId: op[10], employee: 'K-7', at: new Date(now - 90 * MIN).toISOString() },
    ]);

    page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    page.on('console', (m) => {
      if (m.text().startsWith('planner:')) logs.push(m.text());
    });
    await uiLogin(page, server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws running work from its actual start to now, marked as running', async () => {
    await page.getByRole('link', { name: 'Planner', exact: true }).click();
    await page.locator('.timeline[data-rendered]').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Now', exact: true }).click();
    // In the first hour of a Monday (shop time) the late operation lies in the week before.
    if ((await planned(10).count()) === 0) {
      await page.getByRole('button', { name: 'Previous week' }).click();
      await page.getByRole('button', { name: 'Now', exact: true }).click();
    }
    await page.getByRole('button', { name: 'Shift', exact: true }).click();
    await actual(10).waitFor({ timeout: 30_000 });
    await settled(planned(10));
    const s = await slot(10);
    expect(s.status).toBe('in_progress');
    await expect(actual(10).getAttribute('class')).resolves.toMatch(/\bactual-late\b.*\brunning\b/);
    const animation = await actual(10).evaluate((el) => getComputedStyle(el, '::after').animationName);
    expect(animation).toBe('actual-running');
    await expectActualDrawn(10, s, Date.now());
    await shot(page, '40-planner-actual-running');
  });

  it('follows the floor live: a late finish and an early start from the station', async () => {
    const before = logs.length;
    const sent = Date.now();
    await send(station, [
      { type: 'finish', operationId: op[10], employee: 'K-7', at: new Date().toISOString() },
      { type: 'start', operationId: op[20], employee: 'K-7', at: new Date().toISOString() },
    ]);
    await page.waitForFunction(
      (id) => {
        const el = document.querySelector(`.vis-item.actual[data-id="actual:${id}"]`);
        return el !== null && !el.classList.contains('running');
      },
      slotId[10],
      { timeout: 15_000 },
    );
    await actual(20).waitFor({ timeout: 15_000 });
    const liveMs = Date.now() - sent;
    const [cut, form] = await Promise.all([slot(10), slot(20)]);
    expect([cut.status, form.status]).toEqual(['complete', 'in_progress']);

    // CUT: finished an hour late, drawn from its actual start to its actual end, red.
    const drawn = await expectActualDrawn(10, cut, Date.parse(cut.actualEnd!));
    await expect(actual(10).getAttribute('class')).resolves.toMatch(/\bactual-late\b/);
    // FORM: started before its planned start, running, green.
    await expectActualDrawn(20, form, Date.now());
    await expect(actual(20).getAttribute('class')).resolves.toMatch(/\bactual-on-time\b.*\brunning\b/);
    const redrawn = logs.slice(before).join(' | ');
    console.log(
      `planner actuals: live update ${liveMs} ms from the floor transactions to the redrawn bars; CUT actual bar ${Math.round(drawn.actual.width)} px for ${minutesBetween(cut.actualEnd!, cut.actualStart!)} min at ${(drawn.pxPerMs * 3_600_000).toFixed(0)} px/h; ${redrawn}`,
    );
    // only the two slots the floor changed, not the third
    const rewritten = [...redrawn.matchAll(/\((\d+) rewritten\)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(redrawn).toMatch(/planner: 3 operations in the dataset/);
    expect(rewritten).toBe(2);

    // The tooltip on the actual stripe: planned and actual times in the shop zone, the variance.
    await page.mouse.move(drawn.actual.x + drawn.actual.width / 2, drawn.actual.y + drawn.actual.height - 3);
    const tip = page.locator('.vis-tooltip');
    await tip.waitFor({ state: 'visible' });
    const text = (await tip.textContent()) ?? '';
    expect(text).toContain(`Planned: ${shopTime(cut.plannedStart)} → ${shopTime(cut.plannedEnd)} ${ZONE}`);
    expect(text).toContain(`Actual: ${shopTime(cut.actualStart!)} → ${shopTime(cut.actualEnd!)} ${ZONE}`);
    const startLate = minutesBetween(cut.actualStart!, cut.plannedStart);
    const endLate = minutesBetween(cut.actualEnd!, cut.plannedEnd);
    expect(startLate).toBe(30);
    expect(text).toContain(`Start variance: +${startLate} min late`);
    expect(text).toContain(`End variance: +${endLate} min late`);
    await shot(page, '41-planner-actual-late-and-early');

    // FORM's planned bar names its early start too.
    const f = await box(planned(20));
    await page.mouse.move(f.x + f.width / 2, f.y + 4);
    await page.waitForFunction(() => document.querySelector('.vis-tooltip')?.textContent?.includes('FORM'));
    const formTip = (await tip.textContent()) ?? '';
    // running, it ends no earlier than its actual start plus its planned hour: as early as it started
    const early = -minutesBetween(form.actualStart!, form.plannedStart);
    expect(formTip).toContain(`Start variance: ${early} min early`);
    expect(formTip).toContain(`End variance: ${early} min early at best (running)`);
  });
});

/** Waits out the zoom animation: the bar's box the same on two reads 150 ms apart. */
async function settled(l: Locator) {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const now = JSON.stringify(await l.boundingBox());
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('the chart kept moving');
}

async function box(l: Locator) {
  const b = await l.boundingBox();
  if (!b) throw new Error('bar not drawn');
  return b;
}
