import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../auth/tables.js';
import { seedMachines, stateEvent } from '../machines/test-machines.js';
import { sampleJob } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { MAX_PHOTO_BYTES } from './issue-photos.js';

const photo = (name: string) => readFileSync(new URL(`../../test-data/floor-photos/${name}`, import.meta.url));

interface Issue {
  id: string;
  kind: string;
  status: string;
  reason: { code: string; label: string };
  workCenterId: string;
  operation: { id: string; jobNumber: string; sequence: number } | null;
  machineId: string | null;
  note: string | null;
  reportedBy: { id: string; name: string };
  stationId: string | null;
  photos: Array<{ n: number; contentType: string; size: number; width: number; height: number; url: string }>;
  closedBy: { name: string } | null;
  resolution: string | null;
  machine?: { machineId: string; code: string; state: string; since: string | null } | null;
}

interface Message {
  type?: string;
  channel?: string;
  event?: { type: string; issueId?: string; notification?: { title: string; recipientRole: string; link: string } };
}

describe('floor issue reporting', () => {
  let t: TestApp;
  let port = 0;
  let operatorId: string;
  let cutStep: string;
  let laserMachineId: string;

  const report = (payload: object, token = t.tokens.operator) =>
    t.app.inject({ method: 'POST', url: '/api/v1/floor/issues', headers: bearer(token), payload });
  const get = (url: string, token = t.tokens.supervisor) =>
    t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const count = async (table: string) =>
    Number((await t.database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  beforeAll(async () => {
    t = await testApp();
    const machines = await seedMachines(t.app, t.tokens.admin);
    laserMachineId = machines['LASER-01']!.id;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
    const job = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: sampleJob('J-ISSUE'),
    });
    expect(job.statusCode, job.body).toBe(201);
    cutStep = (job.json() as { routings: Array<{ id: string; sequence: number }> }).routings.find(
      (r) => r.sequence === 10,
    )!.id;
    operatorId = (await t.database.db.select().from(users).where(eq(users.username, 'operator')))[0]!.id;
  });
  afterAll(async () => t?.close());

  async function socket(token: string) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws?access_token=${token}`);
    const messages: Message[] = [];
    ws.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString()) as Message));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ subscribe: ['notifications', 'floor'] }));
    const until = Date.now() + 5000;
    while (!messages.some((m) => m.type === 'subscribed') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    return { ws, messages };
  }

  it('reports a downtime: links the work center’s machine, notifies supervisors in the app and on the socket', async () => {
    const sup = await socket(t.tokens.supervisor);
    const op = await socket(t.tokens.operator);
    const res = await report({
      clientId: randomUUID(),
      kind: 'downtime',
      reason: 'down_mech_hydraulic', // a child node of the downtime tree, any case
      workCenterId: 'LASER-01',
      note: 'Pressure drops when the table shuttles',
    });
    expect(res.statusCode, res.body).toBe(201);
    const issue = res.json() as Issue;
    expect(issue).toMatchObject({
      kind: 'downtime',
      status: 'open',
      reason: { code: 'DOWN_MECH_HYDRAULIC', label: 'Hydraulics' },
      workCenterId: 'LASER-01',
      machineId: laserMachineId,
      operation: null,
      reportedBy: { id: operatorId, name: 'operator' },
      photos: [],
    });
    await t.outbox.drain();

    const inbox = await get('/api/v1/notifications');
    const mine = (inbox.json() as { items: Array<{ title: string; body: string; link: string; kind: string }> }).items;
    expect(mine[0]).toMatchObject({
      kind: 'floor-issue.downtime',
      title: 'Downtime at LASER-01: Hydraulics',
      link: `/floor/issues/${issue.id}`,
    });
    expect(mine[0]!.body).toContain('operator reported');
    expect(mine[0]!.body).toContain('Pressure drops when the table shuttles');
    const operatorInbox = (await get('/api/v1/notifications', t.tokens.operator)).json() as { items: unknown[] };
    expect(operatorInbox.items).toEqual([]);

    const settle = Date.now() + 5000;
    while (sup.messages.filter((m) => m.channel).length < 2 && Date.now() < settle)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const seen = (s: { messages: Message[] }) =>
      s.messages
        .filter((m) => m.channel)
        .map((m) => [m.channel, m.event?.type, m.event?.notification?.title ?? m.event?.issueId]);
    expect(seen(sup)).toEqual(
      expect.arrayContaining([
        ['notifications', 'notification.created', 'Downtime at LASER-01: Hydraulics'],
        ['floor', 'floor.issue-reported', issue.id],
      ]),
    );
    expect(seen(sup)).toHaveLength(2);
    // The operator's floor view updates too; the supervisors' notification is not theirs.
    expect(seen(op)).toEqual([['floor', 'floor.issue-reported', issue.id]]);
    for (const s of [sup, op]) s.ws.close();
  });

  it('shows the linked machine’s current state on the issue', async () => {
    const res = await report({
      clientId: randomUUID(),
      kind: 'downtime',
      reason: 'DOWN_GAS',
      workCenterId: 'LASER-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as Issue).id;
    t.machines.ingest.submit([stateEvent('LASER-01', 0, 'alarm')]);
    await t.machines.ingest.flushed();
    const detail = (await get(`/api/v1/floor/issues/${id}`)).json() as Issue;
    expect(detail.machine).toEqual({
      machineId: laserMachineId,
      code: 'LASER-01',
      name: 'LASER-01 machine',
      state: 'alarm',
      since: '2026-11-20T08:00:00.000Z',
      lastSeen: '2026-11-20T08:00:00.000Z',
    });
    // A work center without a machine: downtime is still reported, with no machine to show.
    const brake = await report({
      clientId: randomUUID(),
      kind: 'downtime',
      reason: 'DOWN_ELEC',
      workCenterId: 'BRAKE-01',
    });
    expect(brake.statusCode, brake.body).toBe(201);
    expect((brake.json() as Issue).machineId).toBeNull();
    const brakeDetail = (await get(`/api/v1/floor/issues/${(brake.json() as Issue).id}`)).json() as Issue;
    expect(brakeDetail.machine).toBeNull();
  });

  it('reports quality with photos and material; photos come back byte for byte', async () => {
    const jpg = photo('scratch.jpg');
    const webp = photo('scratch-vp8x.webp');
    const res = await report({
      clientId: randomUUID(),
      kind: 'quality',
      reason: 'QUALITY_PART',
      workCenterId: 'LASER-01',
      operationId: cutStep,
      note: 'Burr on the inner contour',
      photos: [
        { contentType: 'image/jpeg', data: jpg.toString('base64') },
        { contentType: 'image/webp', data: webp.toString('base64') },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const issue = res.json() as Issue;
    expect(issue.machineId).toBeNull(); // only downtime finds the machine by itself
    expect(issue.operation).toMatchObject({ id: cutStep, jobNumber: 'J-ISSUE', sequence: 10 });
    expect(issue.photos).toEqual([
      {
        n: 0,
        contentType: 'image/jpeg',
        size: jpg.length,
        width: 320,
        height: 240,
        url: `/api/v1/floor/issues/${issue.id}/photos/0`,
      },
      {
        n: 1,
        contentType: 'image/webp',
        size: webp.length,
        width: 120,
        height: 90,
        url: `/api/v1/floor/issues/${issue.id}/photos/1`,
      },
    ]);
    for (const [i, bytes, type] of [
      [0, jpg, 'image/jpeg'],
      [1, webp, 'image/webp'],
    ] as const) {
      const back = await get(issue.photos[i]!.url);
      expect(back.statusCode).toBe(200);
      expect(back.headers['content-type']).toBe(type);
      expect(back.rawPayload.equals(bytes)).toBe(true);
    }
    expect((await get(`/api/v1/floor/issues/${issue.id}/photos/2`)).statusCode).toBe(404);
    await t.outbox.drain();
    const inbox = (await get('/api/v1/notifications')).json() as { items: Array<{ title: string; body: string }> };
    expect(inbox.items[0]!.title).toBe('Quality problem at LASER-01: Part does not match drawing');
    expect(inbox.items[0]!.body).toBe(
      'operator reported on J-ISSUE step 10 (CUT): “Burr on the inner contour”. 2 photos.',
    );
    // The audit row has the photos' metadata and none of their bytes.
    const audit = await t.database.query<{ after: unknown }>(
      `SELECT after FROM audit_log WHERE entity = 'floor_issue' AND entity_id = $1`,
      [issue.id],
    );
    expect(audit).toHaveLength(1);
    const text = JSON.stringify(audit[0]!.after);
    expect(text).toContain('"size":2733');
    expect(text).not.toContain(jpg.subarray(0, 30).toString('base64'));

    const material = await report({
      clientId: randomUUID(),
      kind: 'material',
      reason: 'MATERIAL_SHORT',
      workCenterId: 'BRAKE-01',
      note: '16 ga SS304 ran out',
    });
    expect(material.statusCode, material.body).toBe(201);
    expect(material.json()).toMatchObject({ kind: 'material', reason: { code: 'MATERIAL_SHORT' }, machineId: null });
  });

  it('takes four photos at the 2 MB limit (the route’s body limit is raised for them)', async () => {
    const png = photo('scratch.png');
    // A real PNG, filled up to the limit after its end: decoders stop at IEND.
    const full = Buffer.concat([png, Buffer.alloc(MAX_PHOTO_BYTES - png.length, 7)]);
    const res = await report({
      clientId: randomUUID(),
      kind: 'quality',
      reason: 'QUALITY_DRAWING',
      workCenterId: 'LASER-01',
      operationId: cutStep,
      photos: Array.from({ length: 4 }, () => ({ contentType: 'image/png', data: full.toString('base64') })),
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const issue = res.json() as Issue;
    expect(issue.photos.map((p) => [p.size, p.width, p.height])).toEqual(
      Array.from({ length: 4 }, () => [MAX_PHOTO_BYTES, 200, 150]),
    );
    expect((await get(issue.photos[3]!.url)).rawPayload.equals(full)).toBe(true);
  });

  it('refuses bad reports naming the field, and writes nothing', async () => {
    const before = [await count('floor_issues'), await count('floor_issue_photos'), await count('notifications')];
    const base = { kind: 'quality', reason: 'QUALITY_PART', workCenterId: 'LASER-01', operationId: cutStep };
    const cases: Array<[object, string]> = [
      [{ ...base, reason: 'DOWN_MECH' }, 'reason'], // a downtime reason on a quality report
      [{ ...base, kind: 'downtime', reason: 'MATERIAL_SHORT' }, 'reason'],
      [{ ...base, kind: 'material', reason: 'BREAK' }, 'reason'], // a pause reason
      [{ ...base, reason: 'NO_SUCH_CODE' }, 'reason'],
      [{ ...base, operationId: undefined }, 'operationId'], // quality names its operation
      [{ ...base, operationId: randomUUID() }, 'operationId'],
      [{ ...base, workCenterId: 'PLASMA-09' }, 'workCenterId'],
      [
        { ...base, kind: 'downtime', reason: 'DOWN_GAS', workCenterId: 'BRAKE-01', machineId: laserMachineId },
        'machineId',
      ],
      [
        {
          ...base,
          photos: [{ contentType: 'image/jpeg', data: Buffer.from('hello, not a photo').toString('base64') }],
        },
        'photos[0]',
      ],
      [{ ...base, photos: [{ contentType: 'image/png', data: photo('scratch.jpg').toString('base64') }] }, 'photos[0]'],
      [
        {
          ...base,
          photos: [
            { contentType: 'image/jpeg', data: photo('scratch.jpg').toString('base64') },
            { contentType: 'image/png', data: Buffer.alloc(MAX_PHOTO_BYTES + 1, 0x89).toString('base64') },
          ],
        },
        'photos[1]',
      ],
      [{ ...base, kind: 'fire' }, 'kind'],
      [{ ...base, note: 'x'.repeat(2001) }, 'note'],
    ];
    for (const [payload, field] of cases) {
      const res = await report({ clientId: randomUUID(), ...payload });
      expect(res.statusCode, `${field}: ${res.body.slice(0, 200)}`).toBe(400);
      expect((res.json() as { field: string }).field, res.body.slice(0, 200)).toBe(field);
    }
    const bad = await report({ clientId: randomUUID(), ...base, reason: 'DOWN_MECH' });
    expect((bad.json() as { message: string }).message).toBe(
      'reason: DOWN_MECH is a downtime reason; a quality report needs a quality reason',
    );
    // Not base64 at all (padding in the middle): the schema names the data of the photo.
    const notBase64 = await report({
      clientId: randomUUID(),
      ...base,
      photos: [{ contentType: 'image/jpeg', data: Buffer.from('hello').toString('base64') + 'AA==' }],
    });
    expect(notBase64.json()).toMatchObject({ field: 'photos[0].data' });
    expect([await count('floor_issues'), await count('floor_issue_photos'), await count('notifications')]).toEqual(
      before,
    );
  });

  it('the same clientId again answers the first issue and changes nothing', async () => {
    const clientId = randomUUID();
    const payload = {
      clientId,
      kind: 'material',
      reason: 'MATERIAL_WRONG',
      workCenterId: 'WELD-01',
      note: '14 ga, not 16',
    };
    const first = await report(payload);
    expect(first.statusCode, first.body).toBe(201);
    const counts = [await count('floor_issues'), await count('notifications'), await count('audit_log')];
    for (let i = 0; i < 3; i++) {
      const again = await report(payload);
      expect(again.statusCode).toBe(200);
      expect((again.json() as Issue).id).toBe((first.json() as Issue).id);
    }
    // Even a resend that differs (the tablet edited its copy) answers the issue as stored.
    const edited = await report({ ...payload, note: 'changed my mind' });
    expect(edited.statusCode).toBe(200);
    expect((edited.json() as Issue).note).toBe('14 ga, not 16');
    // Two sends at the same moment still make one issue.
    const racing = { ...payload, clientId: randomUUID() };
    const both = await Promise.all([report(racing), report(racing)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(new Set(both.map((r) => (r.json() as Issue).id)).size).toBe(1);
    expect([await count('floor_issues'), await count('notifications'), await count('audit_log')]).toEqual([
      counts[0]! + 1,
      counts[1]! + 2,
      counts[2]! + 1,
    ]);
  });

  it('operators report but do not list or handle; supervisors list by status and work center', async () => {
    for (const url of ['/api/v1/floor/issues', `/api/v1/floor/issues/${randomUUID()}`]) {
      expect((await get(url, t.tokens.operator)).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/floor/issues', payload: {} })).statusCode).toBe(401);
    const open = (await get('/api/v1/floor/issues?status=open&workCenterId=BRAKE-01')).json() as {
      items: Issue[];
      total: number;
    };
    expect(open.items.map((i) => [i.kind, i.reason.code]).sort()).toEqual([
      ['downtime', 'DOWN_ELEC'],
      ['material', 'MATERIAL_SHORT'],
    ]);
    expect(open.total).toBe(2);
    const pm = await get('/api/v1/floor/issues?kind=quality', t.tokens.production_manager);
    expect(pm.statusCode).toBe(200);
    expect((pm.json() as { items: Issue[] }).items.every((i) => i.kind === 'quality')).toBe(true);
  });

  it('acknowledge, then close with a resolution; a second close is a conflict', async () => {
    const created = await report({
      clientId: randomUUID(),
      kind: 'downtime',
      reason: 'DOWN_PROGRAM',
      workCenterId: 'WELD-02',
    });
    const id = (created.json() as Issue).id;
    const post = (action: string, payload?: object, token = t.tokens.supervisor) =>
      t.app.inject({ method: 'POST', url: `/api/v1/floor/issues/${id}/${action}`, headers: bearer(token), payload });
    expect((await post('acknowledge', undefined, t.tokens.operator)).statusCode).toBe(403);
    const ack = await post('acknowledge');
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: { name: 'supervisor' } });
    expect((await post('acknowledge')).statusCode).toBe(409);
    const closed = await post('close', { resolution: 'Reloaded the program from the server' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closedBy: { name: 'supervisor' },
      resolution: 'Reloaded the program from the server',
    });
    const twice = await post('close', {});
    expect(twice.statusCode).toBe(409);
    expect((twice.json() as { message: string }).message).toMatch(/was closed by supervisor/);
    expect((await post('acknowledge')).statusCode).toBe(409);
    // Closing straight from open, without a body (no resolution to give).
    const other = await report({
      clientId: randomUUID(),
      kind: 'material',
      reason: 'MATERIAL_SHORT',
      workCenterId: 'WELD-02',
    });
    const bare = await t.app.inject({
      method: 'POST',
      url: `/api/v1/floor/issues/${(other.json() as Issue).id}/close`,
      headers: bearer(t.tokens.supervisor),
    });
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.json()).toMatchObject({ status: 'closed', acknowledgedBy: null, resolution: null });
    expect((await get(`/api/v1/floor/issues?status=closed`)).json()).toMatchObject({ total: 2 });
    const audit = await t.database.query<{ action: string; after: { status: string } }>(
      `SELECT action, after FROM audit_log WHERE entity = 'floor_issue' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => [a.action, a.after.status])).toEqual([
      ['create', 'open'],
      ['update', 'acknowledged'],
      ['update', 'closed'],
    ]);
  });

  it('a station replays a report for the operator who was signed in on it; not for anyone else', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/stations',
      headers: bearer(t.tokens.admin),
      payload: { name: 'Laser tablet', workCenterIds: ['LASER-01'] },
    });
    const station = created.json() as { id: string; token: string };
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/users/${operatorId}/floor-credential`,
      headers: bearer(t.tokens.admin),
      payload: { badge: 'B-200', pin: '4711' },
    });
    const before = new Date(Date.now() - 60_000).toISOString();
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/sign-in',
      headers: bearer(station.token),
      payload: { badge: 'B-200' },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const payload = { kind: 'downtime', reason: 'DOWN_MECH', workCenterId: 'LASER-01' };
    const replay = await report({ clientId: randomUUID(), ...payload, employee: 'B-200' }, station.token);
    expect(replay.statusCode, replay.body).toBe(201);
    expect(replay.json()).toMatchObject({ reportedBy: { id: operatorId, name: 'operator' }, stationId: station.id });
    const noOne = await report({ clientId: randomUUID(), ...payload }, station.token);
    expect(noOne.json()).toMatchObject({ field: 'employee' });
    const earlier = await report({ clientId: randomUUID(), ...payload, employee: 'B-200', at: before }, station.token);
    expect(earlier.statusCode).toBe(400);
    expect(earlier.json()).toMatchObject({ field: 'employee' });
    // The operator signed in on the tablet: the report records the station too.
    const own = await report({ clientId: randomUUID(), ...payload }, (signIn.json() as { token: string }).token);
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ stationId: station.id });
  });
});
