/**
 * The pages around the planner on the demo shop: capable-to-promise, the admin screens (work
 * centers, calendars, users, CSV import), machine status and alarms, the Sigmanest sync page,
 * and a job's nests. Machine and nesting data may not exist on the server: the pages then say
 * "no data", which is what is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import mqtt from 'mqtt';
import {
  ADMIN_PASSWORD,
  apiLogin,
  call,
  freePort,
  launch,
  shot,
  startServer,
  uiLogin,
  type KerfServer,
} from './harness';

interface WorkCenter {
  id: string;
  name: string;
  machineType: string;
}
interface Shift {
  workCenterId: string;
  dayOfWeek: number;
  shiftNumber: number;
  startTime: string;
}

describe('CTP, admin, machines and Sigmanest pages', () => {
  let server: KerfServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let centers: WorkCenter[];
  let mqttPort: number;

  beforeAll(async () => {
    // The embedded MQTT broker on a port of our own (anonymous publishing on): a status message
    // published there must reach the board over the WebSocket. Servers without machine data ignore it.
    mqttPort = await freePort();
    [server, browser] = await Promise.all([
      startServer(undefined, { KERF_MQTT_PORT: String(mqttPort), KERF_MQTT_ANONYMOUS: '1' }),
      launch(),
    ]);
    token = await apiLogin(server, 'admin', ADMIN_PASSWORD);
    centers = (await call<{ items: WorkCenter[] }>(server, 'GET', '/work-centers?limit=500', token)).items;
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await uiLogin(page, server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('checks a promise date for a prospective job, and names a bad field', async () => {
    await page.getByRole('link', { name: 'CTP', exact: true }).click();
    await page.getByLabel('Step 1 Work center type').waitFor();
    await page.getByLabel('Quantity').fill('8');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel('Step 3 Operation').fill('WELD');
    await page.getByRole('button', { name: 'Check date' }).click();
    await page.getByTestId('promise-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('promise-date').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(await page.locator('.promise-result tbody tr').count()).toBe(3);
    await expect(page.locator('.promise-result').textContent()).resolves.toMatch(/If lower-priority work/);
    await shot(page, '30-ctp-result');
    // A run time of 0 is refused by the server, and the field it names is marked.
    await page.getByLabel('Step 2 Run (min/unit)').fill('0');
    await page.getByRole('button', { name: 'Check date' }).click();
    await page.locator('.promise [role="alert"]').waitFor();
    await expect(page.locator('.promise [role="alert"]').textContent()).resolves.toContain('routings[1]');
    expect(await page.getByLabel('Step 2 Run (min/unit)').getAttribute('aria-invalid')).toBe('true');
  });

  it('edits a work center and shows a refused value beside its field', async () => {
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    const first = centers[0]!;
    await page.getByRole('button', { name: `Edit ${first.id}`, exact: true }).click();
    const form = page.getByRole('form', { name: `Edit ${first.id}` });
    await form.getByLabel('Name').fill('Renamed by e2e');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Saved work center ${first.id}.`).waitFor();
    const saved = await call<WorkCenter>(server, 'GET', `/work-centers/${first.id}`, token);
    expect(saved.name).toBe('Renamed by e2e');
    await page.getByRole('button', { name: `Edit ${first.id}`, exact: true }).click();
    await form.getByLabel('Efficiency').fill('5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.field.invalid .field-error').waitFor();
    await shot(page, '31-admin-work-center-error');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a night shift and a holiday, then deletes the holiday', async () => {
    await page.getByRole('link', { name: 'Calendars', exact: true }).click();
    const wc = centers[1]!;
    await page.getByLabel('Work center', { exact: true }).selectOption(wc.id);
    const add = page.getByRole('form', { name: 'Add shift' });
    await add.getByLabel('Day').selectOption('6');
    await add.getByLabel('Shift number').selectOption('3');
    await add.getByLabel('Shift name').fill('Sunday night');
    await add.getByLabel('Starts').fill('22:00');
    await add.getByLabel('Ends').fill('06:00');
    await add.getByRole('button', { name: 'Add shift' }).click();
    await page.getByText(`Shift added to ${wc.id}.`).waitFor();
    const shifts = (
      await call<{ items: Shift[] }>(server, 'GET', `/shift-calendars?workCenterId=${wc.id}&limit=500`, token)
    ).items;
    expect(shifts.some((s) => s.dayOfWeek === 6 && s.shiftNumber === 3 && s.startTime.startsWith('22:00'))).toBe(true);
    await page.getByRole('cell', { name: 'Sunday night' }).waitFor();

    const closure = page.getByRole('form', { name: 'Add a closure' });
    await closure.getByLabel('Date').fill('2027-08-17');
    await closure.getByLabel('Description').fill('e2e holiday');
    await closure.getByRole('button', { name: 'Add closure' }).click();
    const said = page.getByText('Added holiday on 2027-08-17.').or(page.locator('.status.error'));
    await said.first().waitFor();
    expect(await said.first().textContent()).toBe('Added holiday on 2027-08-17.');
    await page.getByRole('cell', { name: 'e2e holiday', exact: true }).waitFor();
    await shot(page, '32-admin-calendars');
    await page.getByRole('button', { name: 'Delete holiday on 2027-08-17 (e2e holiday)' }).click();
    await page.getByText('Closure deleted.').waitFor();
    await page.getByRole('cell', { name: 'e2e holiday', exact: true }).waitFor({ state: 'detached' });
    const left = await call<{ items: { description: string | null }[] }>(
      server,
      'GET',
      '/calendar-exceptions?limit=500',
      token,
    );
    expect(left.items.some((x) => x.description === 'e2e holiday')).toBe(false);
  });

  it('creates a user and changes the role', async () => {
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('User name').fill('e2e-planner');
    await form.getByLabel('Full name').fill('Pat Planner');
    await form.getByLabel('Initial password').fill('planner-pass-1');
    await form.getByLabel('Role').selectOption('supervisor');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User e2e-planner created.').waitFor();
    await page.getByLabel('Role of e2e-planner').selectOption('production_manager');
    await page.getByText('e2e-planner is now production_manager.').waitFor();
    const users = await call<{ items: { username: string; role: string }[] }>(server, 'GET', '/users', token);
    expect(users.items.find((u) => u.username === 'e2e-planner')?.role).toBe('production_manager');
    await shot(page, '33-admin-users');
  });

  it('imports jobs from CSV: row errors by row and column, nothing applied; then a clean file', async () => {
    await page.getByRole('link', { name: 'CSV import', exact: true }).click();
    const [a, b] = [...new Set(centers.map((c) => c.machineType))];
    const header =
      'job_number,product,job_quantity,due_date,sequence,operation_code,work_center_type,run_minutes_per_unit';
    const bad = [
      header,
      `E2E-1,Test panel,5,2027-01-15,10,CUT,${a},2`,
      `,,,,20,BEND,${b},1.5.2`,
      `E2E-2,Other,0,2027-01-15,10,CUT,${a},1`,
    ].join('\n');
    const count = async () => (await call<{ total: number }>(server, 'GET', '/jobs?limit=1', token)).total;
    const before = await count();
    await page.getByLabel('or paste the CSV text').fill(bad);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const rows = await errors.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.startsWith('3run_minutes_per_unit'))).toBe(true);
    expect(rows.some((r) => r.startsWith('4job_quantity'))).toBe(true);
    expect(await count()).toBe(before);
    await shot(page, '34-admin-import-errors');
    const good = [header, `E2E-1,Test panel,5,2027-01-15,10,CUT,${a},2`, `,,,,20,BEND,${b},1.5`].join('\n');
    await page.getByLabel('or paste the CSV text').fill(good);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByTestId('import-result').getByText('Check passed').waitFor();
    expect(await count()).toBe(before);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-result').getByText('Imported:').waitFor();
    expect(await count()).toBe(before + 1);
  });

  it('shows machine status tiles live from the machines, and the alarm list (or "no data" without machine data)', async () => {
    const machines = await fetch(`${server.url}/api/v1/machines?limit=500`, {
      headers: { authorization: `Bearer ${token}` },
    });
    let alarmMachine: string | null = null;
    await page.getByRole('link', { name: 'Machines', exact: true }).click();
    await page.locator('.tile').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector('.machines .status.loading'));
    const tiles = await page.locator('.tile').count();
    const live = await page.locator('.tile[data-state]').count();
    console.log(`machine board: ${tiles} tiles, ${live} with a machine state (machines API ${machines.status})`);
    expect(tiles).toBeGreaterThan(5);
    if (machines.ok) {
      expect(live).toBeGreaterThan(5);
      // A part count published by an MQTT machine reaches its tile over the WebSocket, no reload.
      const list = (await machines.json()) as { items: { code: string; departmentId: string; protocol: string }[] };
      const m = list.items.find((x) => x.protocol === 'mqtt');
      expect(m).toBeDefined();
      const count = 700_000 + Math.floor(Math.random() * 99_999);
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: `e2e-${count}` });
      await client.publishAsync(
        `shopfloor/${m!.departmentId}/${m!.code}/part_count`,
        JSON.stringify({ ts: new Date().toISOString(), seq: Date.now(), src: 'e2e', value: count }),
        { qos: 1 },
      );
      // and an alarm, to be acknowledged on the alarm page below
      await client.publishAsync(
        `shopfloor/${m!.departmentId}/${m!.code}/alarm`,
        JSON.stringify({
          seq: Date.now() + 1,
          src: 'e2e',
          value: { code: 'E2E-1', active: true, message: 'Raised by the browser test' },
        }),
        { qos: 1 },
      );
      await client.endAsync();
      alarmMachine = m!.code;
      const t0 = Date.now();
      await page
        .locator(`.tile[data-machine="${m!.code}"]`, { hasText: `parts ${count}` })
        .waitFor({ timeout: 30_000 });
      console.log(`machine board: ${m!.code} part count on its tile ${Date.now() - t0} ms after the MQTT publish`);
    } else {
      expect(machines.status).toBe(404);
      expect(await page.locator('.tile.nodata').count()).toBe(tiles);
    }
    await shot(page, '35-machines');
    await page.getByRole('link', { name: 'Alarms', exact: true }).click();
    await page.getByRole('heading', { name: 'Alarms', exact: true }).waitFor();
    await page.getByLabel('Open alarms only').uncheck();
    await page.locator('[data-testid="alarm-list"], .status.empty').first().waitFor({ timeout: 30_000 });
    if (alarmMachine) {
      const ack = page.getByRole('button', { name: `Acknowledge E2E-1 on ${alarmMachine}` });
      await ack.waitFor({ timeout: 30_000 });
      await ack.click();
      await page.getByText(`Acknowledged E2E-1 on ${alarmMachine}.`).waitFor();
      const alarms = await call<{ items: { code: string; acknowledgedBy: string | null }[] }>(
        server,
        'GET',
        `/alarms?machine=${alarmMachine}&limit=50`,
        token,
      );
      expect(alarms.items.find((x) => x.code === 'E2E-1')?.acknowledgedBy).toBeTruthy();
    }
    await shot(page, '36-alarms');
  });

  it('shows the Sigmanest sync page (or "no data") and a job with its nests section', async () => {
    await page.getByRole('link', { name: 'Sigmanest', exact: true }).click();
    await page.getByRole('heading', { name: 'Sigmanest sync' }).waitFor();
    await page.locator('[data-testid="nesting-connection"], .status.empty').first().waitFor({ timeout: 30_000 });
    if ((await page.getByTestId('nesting-connection').count()) > 0) {
      await page.getByRole('heading', { name: 'Outbox' }).waitFor();
      await page.getByLabel('Show').selectOption('');
      await page
        .locator('[data-testid="outbox-section"] table, [data-testid="outbox-section"] .status.empty')
        .first()
        .waitFor({ timeout: 30_000 });
    }
    await shot(page, '37-sigmanest');
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.locator('tbody tr a').first().click();
    await page.getByRole('heading', { name: 'Nests' }).waitFor();
    await page.locator('[data-testid="job-nests"], .status.empty').first().waitFor({ timeout: 30_000 });
  });
});
