import { parseCode } from '@kerf/floor-codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/service.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { bearer, TEST_DB, TEST_PASSWORD, testApp, type TestApp } from '../test/harness.js';
import { floorAppLines } from './floor-app.js';
import { loadDemoShopIfEmpty, type DemoSummary } from './load-demo.js';

// What `npm start` loads (main.ts): seed 1, 150 jobs, from this week's Monday.
const BASE = 'http://localhost:8080';

interface QueueItem {
  operationId: string;
  ready: boolean;
  floorStatus: string;
}

/** The stations and people as the start-up lines print them: what a new user copies. */
function readPrinted(lines: string[]) {
  const stations = lines.flatMap((l) => {
    const m = /^kerf: floor app for (.+): (\S+)\/floor#station=(\S+)$/.exec(l);
    return m ? [{ name: m[1]!, base: m[2]!, token: m[3]! }] : [];
  });
  const peopleLine = lines.find((l) => l.startsWith('kerf: demo credentials for the floor app'));
  const people = [
    ...(peopleLine ?? '').matchAll(/([A-Z][a-z]+ [A-Z][a-z]+) \((\w+)\) PIN (\d+), badge (\S+) scans as ([^;\s]+)/g),
  ].map((m) => ({ name: m[1]!, role: m[2]!, pin: m[3]!, badge: m[4]!, code: m[5]! }));
  return { stations, people, peopleLine };
}

describe('the demo shop with the floor app set up (npm start)', () => {
  let t: TestApp;
  let summary: DemoSummary;
  let printed: ReturnType<typeof readPrinted>;
  const progress: string[] = [];

  const get = async (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const count = async (sql: string) => Number((await t.database.query<{ n: string }>(sql))[0]!.n);
  const screenOf = async (token: string) => {
    const res = await get('/api/v1/floor/station', token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      station: { id: string; name: string; workCenterIds: string[] };
      operators: Array<{ id: string; username: string; displayName: string | null }>;
    };
  };
  const signIn = async (stationToken: string, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/floor/sign-in', headers: bearer(stationToken), payload });

  beforeAll(async () => {
    t = await testApp();
    const began = performance.now();
    const loaded = await loadDemoShopIfEmpty(t.database.db, { seed: 1, jobs: 150 }, (l) => progress.push(l), {
      floorApp: true,
    });
    if (!loaded?.floorApp) throw new Error('the demo did not load with its floor app');
    summary = loaded;
    printed = readPrinted(floorAppLines(BASE, loaded.floorApp));
    console.log(`demo load with the floor app on ${TEST_DB}: ${Math.round(performance.now() - began)} ms`);
  });
  afterAll(async () => t?.close());

  it('creates a station per department covering every work center once, and four operators and a supervisor', async () => {
    const floorApp = summary.floorApp!;
    expect(floorApp.stations.map((s) => s.name)).toEqual([
      'Laser tablet',
      'Punch tablet',
      'Brake tablet',
      'Weld tablet',
      'Polish tablet',
      'Assembly tablet',
      'Shipping tablet',
    ]);
    const covered = floorApp.stations.flatMap((s) => s.workCenterIds).sort();
    expect(covered).toHaveLength(summary.workCenters);
    expect(new Set(covered).size).toBe(summary.workCenters);
    expect(floorApp.stations.find((s) => s.name === 'Brake tablet')!.workCenterIds).toEqual([
      'BRAKE-01',
      'BRAKE-02',
      'BRAKE-03',
    ]);
    expect(await count('SELECT count(*) AS n FROM floor_stations WHERE revoked_at IS NULL')).toBe(7);

    expect(floorApp.people.map((p) => [p.username, p.role, p.badge])).toEqual([
      ['demo-maria', 'operator', 'B-101'],
      ['demo-tomas', 'operator', 'B-102'],
      ['demo-ana', 'operator', 'B-103'],
      ['demo-raj', 'operator', 'B-104'],
      ['demo-grace', 'supervisor', 'B-201'],
    ]);
    for (const p of floorApp.people) {
      expect(p.pin).toMatch(/^[0-9]{4}$/);
      const scanned = parseCode(p.badgeCode);
      expect(scanned.ok && scanned.code).toEqual({ type: 'badge', badge: p.badge });
    }
    expect(new Set(floorApp.people.map((p) => p.pin)).size).toBe(5);
    // Only hashes are kept: neither a token nor a PIN is anywhere in the database's text.
    for (const s of floorApp.stations) {
      expect(await count(`SELECT count(*) AS n FROM floor_stations f WHERE f::text LIKE '%${s.token}%'`)).toBe(0);
    }
    expect(progress).toContain('demo: floor app: 7 stations, 5 people with badges and PINs');
  });

  it('prints one link per station and one line of demo people, and every printed token opens its station', async () => {
    expect(printed.stations).toHaveLength(7);
    expect(printed.stations.every((s) => s.base === BASE)).toBe(true);
    expect(printed.peopleLine).toContain('demo shop only');
    expect(printed.people.map((p) => `${p.name} ${p.role} ${p.badge}`)).toEqual([
      'Maria Lopez operator B-101',
      'Tomas Reyes operator B-102',
      'Ana Silva operator B-103',
      'Raj Patel operator B-104',
      'Grace Kim supervisor B-201',
    ]);
    for (const s of printed.stations) {
      const screen = await screenOf(s.token);
      expect(screen.station.name).toBe(s.name);
      const names = screen.operators.map((o) => o.displayName);
      for (const p of printed.people) expect(names).toContain(p.name);
    }
    // The token alone is no person: it does not read a queue.
    const laser = printed.stations[0]!;
    const denied = await get('/api/v1/floor/work-centers/LASER-01/queue', laser.token);
    expect(denied.statusCode).toBe(403);
  });

  it('signs a demo operator in with the printed PIN, and the supervisor with a badge scan; a wrong PIN is refused', async () => {
    const laser = printed.stations.find((s) => s.name === 'Laser tablet')!;
    const screen = await screenOf(laser.token);
    const maria = printed.people.find((p) => p.name === 'Maria Lopez')!;
    const mariaId = screen.operators.find((o) => o.displayName === maria.name)!.id;
    const wrong = String((Number(maria.pin) + 1) % 10_000).padStart(4, '0');
    const refused = await signIn(laser.token, { userId: mariaId, pin: wrong });
    expect(refused.statusCode, refused.body).toBe(401);
    expect(refused.json()).toMatchObject({ field: 'pin' });
    const ok = await signIn(laser.token, { userId: mariaId, pin: maria.pin });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ user: { username: 'demo-maria', role: 'operator', displayName: 'Maria Lopez' } });

    const grace = printed.people.find((p) => p.role === 'supervisor')!;
    const boss = await signIn(laser.token, { badge: grace.code });
    expect(boss.statusCode, boss.body).toBe(200);
    expect(boss.json()).toMatchObject({ user: { username: 'demo-grace', role: 'supervisor' } });
  });

  it('gives every station a queue, with work ready to start at the cutting stations (laser, punch)', async () => {
    const screen = await screenOf(printed.stations[0]!.token);
    const maria = printed.people[0]!;
    const session = await signIn(printed.stations[0]!.token, {
      userId: screen.operators.find((o) => o.displayName === maria.name)!.id,
      pin: maria.pin,
    });
    const token = (session.json() as { token: string }).token;
    const found: string[] = [];
    for (const s of summary.floorApp!.stations) {
      let items = 0;
      let ready = 0;
      for (const wc of s.workCenterIds) {
        const res = await get(`/api/v1/floor/work-centers/${wc}/queue`, token);
        expect(res.statusCode, res.body).toBe(200);
        const queue = (res.json() as { items: QueueItem[] }).items;
        items += queue.length;
        ready += queue.filter((i) => i.ready && i.floorStatus === 'not_started').length;
      }
      found.push(`${s.name} ${items} queued, ${ready} ready`);
      expect(items, s.name).toBeGreaterThan(0);
      // Downstream work waits until its cut parts are reported finished on the floor.
      if (s.name === 'Laser tablet' || s.name === 'Punch tablet') expect(ready, s.name).toBeGreaterThan(0);
    }
    console.log(`demo floor queues: ${found.join('; ')}`);
  });

  it('creates nothing on a second load into the same database', async () => {
    const before = {
      stations: await count('SELECT count(*) AS n FROM floor_stations'),
      users: await count('SELECT count(*) AS n FROM users'),
      badges: await count('SELECT count(*) AS n FROM operator_credentials'),
    };
    const again = await loadDemoShopIfEmpty(t.database.db, { seed: 1, jobs: 150 }, () => undefined, {
      floorApp: true,
    });
    expect(again).toBeUndefined();
    expect({
      stations: await count('SELECT count(*) AS n FROM floor_stations'),
      users: await count('SELECT count(*) AS n FROM users'),
      badges: await count('SELECT count(*) AS n FROM operator_credentials'),
    }).toEqual(before);
    expect(before).toEqual({ stations: 7, users: 4 + 5, badges: 5 });
  });
});

describe('the demo floor app beside existing users, and without the floor app', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('leaves out a demo person whose user name is taken, and creates no station or person unless asked', async () => {
    t = await testApp();
    await createUser(t.database.db, SYSTEM_ACTOR, { username: 'Demo-Maria', password: TEST_PASSWORD, role: 'admin' });
    const loaded = await loadDemoShopIfEmpty(t.database.db, { seed: 2, jobs: 3 }, () => undefined, { floorApp: true });
    expect(loaded?.floorApp?.people.map((p) => p.username)).toEqual([
      'demo-tomas',
      'demo-ana',
      'demo-raj',
      'demo-grace',
    ]);
    expect(loaded?.floorApp?.stations).toHaveLength(7);
    // the taken name keeps its own role and gets no badge
    const maria = await t.database.query<{ role: string; badge: string | null }>(
      `SELECT u.role, c.badge FROM users u LEFT JOIN operator_credentials c ON c.user_id = u.id
        WHERE lower(u.username) = 'demo-maria'`,
    );
    expect(maria).toEqual([{ role: 'admin', badge: null }]);

    const plain = await testApp();
    try {
      const summary = await loadDemoShopIfEmpty(plain.database.db, { seed: 2, jobs: 3 }, () => undefined);
      expect(summary).toBeDefined();
      expect(summary!.floorApp).toBeUndefined();
      const n = await plain.database.query<{ stations: string; people: string }>(
        `SELECT (SELECT count(*) FROM floor_stations) AS stations,
                (SELECT count(*) FROM users WHERE username LIKE 'demo-%') AS people`,
      );
      expect([Number(n[0]!.stations), Number(n[0]!.people)]).toEqual([0, 0]);
    } finally {
      await plain.close();
    }
  });
});
