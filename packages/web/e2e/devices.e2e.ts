/**
 * Machine onboarding in the browser: register a machine and read the topic it must publish to,
 * create its device login (password shown once), publish with it over MQTT, revoke it and see
 * the live connection closed.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const CODE = `E2E-PRESS-${Math.floor(Math.random() * 1e6)}`;

async function connect(port: number, username: string, password: string): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, protocolVersion: 4 });
}

describe('machine onboarding and MQTT devices', () => {
  let server: KerfServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let mqttPort: number;
  let creds: { username: string; password: string };

  beforeAll(async () => {
    mqttPort = await freePort();
    [server, browser] = await Promise.all([
      startServer(undefined, { KERF_MQTT_PORT: String(mqttPort), KERF_SIM: '0' }),
      launch(),
    ]);
    token = await apiLogin(server, 'admin', ADMIN_PASSWORD);
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await uiLogin(page, server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers a machine and shows the topic it must publish to', async () => {
    await page.getByRole('link', { name: 'Machines', exact: true }).click();
    await page.getByRole('link', { name: 'Register a machine' }).click();
    const form = page.getByRole('form', { name: 'New machine' });
    await form.getByLabel('Code (as the machine reports it)').fill(CODE);
    await form.getByLabel('Name').fill('Press brake (browser test)');
    const workCenter = form.getByLabel('Work center');
    const firstCenter = await workCenter.locator('option').nth(1).getAttribute('value');
    await workCenter.selectOption(firstCenter!);
    await form.getByLabel('Protocol').selectOption('mqtt');
    await form.getByRole('button', { name: 'Register machine' }).click();
    const topic = page.getByTestId('machine-topic');
    await topic.waitFor();
    const machine = await call<{ departmentId: string; workCenterId: string }>(
      server,
      'GET',
      `/machines/${CODE}`,
      token,
    );
    expect(machine.workCenterId).toBe(firstCenter);
    expect(await topic.textContent()).toBe(`shopfloor/${machine.departmentId}/${CODE}/state`);
    await expect(page.locator('pre.example').textContent()).resolves.toContain('"value":"running"');
    await shot(page, 'machine-registered');
  });

  it("creates the machine's device login, shows the password once, and the machine publishes with it", async () => {
    const login = page.getByRole('form', { name: `Device login for ${CODE}` });
    await login.getByRole('button', { name: 'Create device login' }).click();
    const password = (await page.getByTestId('device-password').textContent())!;
    const username = (await page.getByTestId('device-username').textContent())!;
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(await page.locator('.device-secret').textContent()).toContain(`mqtt://127.0.0.1:${mqttPort}`);
    creds = { username, password };
    await shot(page, 'device-password-once');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByTestId('device-password').count()).toBe(0);

    const { departmentId } = await call<{ departmentId: string }>(server, 'GET', `/machines/${CODE}`, token);
    const client = await connect(mqttPort, username, password);
    await client.publishAsync(
      `shopfloor/${departmentId}/${CODE}/state`,
      JSON.stringify({ seq: 1, src: 'e2e', value: 'running' }),
      { qos: 1 },
    );
    for (let i = 0; ; i++) {
      const status = await call<{ state: string }>(server, 'GET', `/machines/${CODE}/status`, token);
      if (status.state === 'running') break;
      if (i > 100) throw new Error(`state stayed ${status.state}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.endAsync();
  });

  it('lists the device without its password and revokes it: the live connection is closed', async () => {
    await page.goto(`${server.url}/admin/devices`);
    const row = page.locator('tr', { hasText: creds.username });
    await row.waitFor();
    expect(await page.locator('body').textContent()).not.toContain(creds.password);
    const client = await connect(mqttPort, creds.username, creds.password);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await row.getByRole('button', { name: `Revoke ${creds.username}` }).click();
    await row.getByRole('button', { name: `Confirm revoking ${creds.username}` }).click();
    await page.getByText(`Device ${creds.username} revoked`).waitFor();
    await closed;
    await page.locator('tr', { hasText: creds.username }).waitFor({ state: 'detached' });
    await expect(connect(mqttPort, creds.username, creds.password)).rejects.toThrow();
  });

  it('creates a device with topic prefixes on the devices screen and rotates its password', async () => {
    const form = page.getByRole('form', { name: 'New MQTT device' });
    await form.getByLabel('User name').fill('e2e-gateway');
    await form.getByLabel("Topic prefixes (one per line; empty: the machine's)").fill('shopfloor/nowhere');
    await form.getByRole('button', { name: 'Create device' }).click();
    // The server's refusal is shown beside the field it names.
    await form.getByRole('alert').filter({ hasText: 'must end with "/"' }).waitFor();
    await form.getByLabel("Topic prefixes (one per line; empty: the machine's)").fill('shopfloor/nowhere/');
    await form.getByRole('button', { name: 'Create device' }).click();
    const first = (await page.getByTestId('device-password').textContent())!;
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.locator('tr', { hasText: 'e2e-gateway' }).getByRole('button', { name: 'Rotate password' }).click();
    const second = (await page.getByTestId('device-password').textContent())!;
    expect(second).not.toBe(first);
    await shot(page, 'devices-admin');
  });

  it('lets a production manager (machine:config, not user:admin) manage devices but no other admin tab', async () => {
    await call(server, 'POST', '/users', token, {
      username: 'e2e-pm',
      password: 'pm-manages-devices',
      role: 'production_manager',
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const pm = await context.newPage();
    await uiLogin(pm, server, 'e2e-pm', 'pm-manages-devices');
    await pm.goto(`${server.url}/admin/devices`);
    await pm.getByRole('heading', { name: 'MQTT devices' }).waitFor();
    const tabs = pm.getByRole('navigation', { name: 'Admin sections' }).getByRole('link');
    expect(await tabs.allTextContents()).toEqual(['MQTT devices']);
    await context.close();
  });
});
