/**
 * Camera scanning in the floor app, in Debian Chromium (no native BarcodeDetector on Linux):
 * the fake capture device shows a Code 128 of a real operation's traveler code, the app decodes
 * it with the ZXing WebAssembly shipped in its own bundle and opens that operation. Every
 * request the browser makes, the .wasm included, goes to the Kerf server: no CDN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCode } from '@kerf/floor-codes';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCode128Y4m, type FakeCameraPicture } from './fake-camera';
import { openStation, pinSignIn, setUpFloor, type FloorShop, type QueueItem } from './floor-harness';
import { launch, shot, startServer, type KerfServer } from './harness';

describe('floor app camera scan', () => {
  let server: KerfServer;
  let browser: Browser;
  let shop: FloorShop;
  let item: QueueItem;
  let code: string;
  let picture: FakeCameraPicture;
  const dir = mkdtempSync(join(tmpdir(), 'kerf-camera-'));

  beforeAll(async () => {
    server = await startServer();
    shop = await setUpFloor(server);
    item = shop.items[0]!;
    code = encodeCode({ type: 'operation', routingId: item.operationId, revision: item.revision });
    const video = join(dir, 'traveler.y4m');
    picture = writeCode128Y4m(video, code);
    browser = await launch([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes a traveler code from the camera with the bundled ZXing and opens the operation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    await context.grantPermissions(['camera'], { origin: server.url });
    // the context sees the page's, its workers' and the service worker's requests
    const requests: string[] = [];
    const wasmStatus: number[] = [];
    context.on('request', (r) => requests.push(r.url()));
    context.on('response', (r) => {
      if (new URL(r.url()).pathname.endsWith('.wasm')) wasmStatus.push(r.status());
    });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    await openStation(page, server, shop.station.token);
    await pinSignIn(page, shop.operator.name, shop.operator.pin);
    await page.locator(`.fl-card[data-operation="${item.operationId}"]`).waitFor();
    // so it is the WebAssembly fallback that reads the barcode
    expect(await page.evaluate(() => typeof (window as { BarcodeDetector?: unknown }).BarcodeDetector)).toBe(
      'undefined',
    );

    const panel = page.getByRole('region', { name: `Operation ${item.jobNumber} ${item.sequence}` });
    expect(await panel.count()).toBe(0);
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Camera', exact: true }).click();
    const origin = new URL(server.url).origin;
    const elsewhere = () => requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== origin);
    const cameraError = page.locator('.fl-camera .fl-error');
    const failed = (why: string) =>
      new Error(
        `no panel for ${code} after the camera opened (${why}); ` +
          `requests not to ${origin}: ${JSON.stringify(elsewhere())}`,
      );
    // a camera or reader that fails says so on screen: stop there instead of waiting out the time
    await panel
      .or(cameraError)
      .waitFor({ timeout: 20_000 })
      .catch((err: unknown) => {
        throw failed(String(err));
      });
    if (await cameraError.isVisible()) throw failed(`the app said: ${await cameraError.textContent()}`);
    const scanMs = Date.now() - clicked;
    // a scan closes the camera (and its stream)
    const dialog = page.getByRole('dialog', { name: 'Scan with the camera' });
    await dialog.waitFor({ state: 'detached' });
    await shot(page, 'floor-camera-scanned');
    const wasmFirst = requests.filter((u) => new URL(u).pathname.endsWith('.wasm')).length;

    // Opened again, the camera reuses the reader already instantiated: no second .wasm load.
    const again = Date.now();
    await page.getByRole('button', { name: 'Camera', exact: true }).click();
    await dialog.waitFor();
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    const againMs = Date.now() - again;
    await panel.waitFor();

    const wasm = requests.filter((u) => new URL(u).pathname.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    expect(wasm.every((u) => new URL(u).origin === origin)).toBe(true);
    expect(wasmStatus.length).toBeGreaterThan(0);
    expect(wasmStatus.every((s) => s === 200)).toBe(true);
    expect(wasm.length).toBe(wasmFirst);
    // data: and blob: URLs never leave the browser; everything else must be the Kerf server
    expect(elsewhere()).toEqual([]);
    const wsOrigin = origin.replace(/^http/, 'ws');
    expect(sockets.filter((u) => new URL(u).origin !== wsOrigin)).toEqual([]);

    const paths = [...new Set(requests.map((u) => new URL(u).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')))];
    console.log(
      `camera scan of ${code} (${picture.modules} modules x ${picture.moduleWidth} px in ${picture.width}x${picture.height}): ` +
        `Camera click to operation panel ${scanMs} ms, second scan ${againMs} ms; ${requests.length} requests, all to ${origin} ` +
        `(${wasm.length} for the .wasm: ${wasm.map((u) => new URL(u).pathname).join(', ')}); ` +
        `websockets: ${sockets.length}; distinct paths: ${paths.join(' ')}`,
    );
    await context.close();
  });
});
