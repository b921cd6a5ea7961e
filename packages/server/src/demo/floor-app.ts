import { randomInt } from 'node:crypto';
import { encodeCode } from '@kerf/floor-codes';
import type { Actor } from '../auth/actor.js';
import { generatePassword } from '../auth/password-policy.js';
import type { Role } from '../auth/permissions.js';
import { createUser, listUsers } from '../auth/service.js';
import { resolveEmployee, setOperatorCredential } from '../auth/station-sign-in.js';
import { createStation } from '../auth/stations.js';
import type { Db } from '../platform/db.js';
import type { DemoShop } from './model.js';

/**
 * The floor app's demo set-up: a station (shared tablet) per department and a few people with
 * badges and PINs, so that /floor works on the first start without an admin's API calls. The
 * tokens and PINs come back once, for the caller to print; only their hashes are stored.
 */

export interface DemoStation {
  id: string;
  name: string;
  workCenterIds: string[];
  /** the device token, shown once */
  token: string;
}

export interface DemoPerson {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** as printed on the badge card */
  badge: string;
  /** what a scan of the badge card types (EMP code with check characters) */
  badgeCode: string;
  /** shown once */
  pin: string;
}

export interface DemoFloorApp {
  stations: DemoStation[];
  people: DemoPerson[];
}

// "demo-" keeps these apart from names an admin (or a test) would pick for real people.
const PEOPLE: Array<{ username: string; displayName: string; role: Role; badge: string }> = [
  { username: 'demo-maria', displayName: 'Maria Lopez', role: 'operator', badge: 'B-101' },
  { username: 'demo-tomas', displayName: 'Tomas Reyes', role: 'operator', badge: 'B-102' },
  { username: 'demo-ana', displayName: 'Ana Silva', role: 'operator', badge: 'B-103' },
  { username: 'demo-raj', displayName: 'Raj Patel', role: 'operator', badge: 'B-104' },
  { username: 'demo-grace', displayName: 'Grace Kim', role: 'supervisor', badge: 'B-201' },
];

// What the tablet at a department's machines is called on the floor.
const STATION_NAMES: Record<string, string> = {
  laser: 'Laser tablet',
  punch: 'Punch tablet',
  form: 'Brake tablet',
  weld: 'Weld tablet',
  polish: 'Polish tablet',
  assembly: 'Assembly tablet',
  ship: 'Shipping tablet',
};

/** Four random digits, different from the PINs already handed out (the station policy takes 4 to 8). */
function newPin(taken: Set<string>): string {
  for (;;) {
    const pin = String(randomInt(0, 10_000)).padStart(4, '0');
    if (!taken.has(pin)) {
      taken.add(pin);
      return pin;
    }
  }
}

/**
 * Creates the stations and people through the auth services (their validation and audit rows).
 * A demo person whose user name or badge is already someone's is left out rather than failing
 * the demo: the shop may have had users before its first demo load.
 */
export async function createDemoFloorApp(tx: Db, actor: Actor, shop: DemoShop): Promise<DemoFloorApp> {
  const stations: DemoStation[] = [];
  for (const d of shop.departments) {
    const workCenterIds = shop.workCenters.filter((c) => c.departmentId === d.id && c.isActive).map((c) => c.id);
    if (workCenterIds.length === 0) continue;
    const row = await createStation(tx, actor, { name: STATION_NAMES[d.id] ?? `${d.name} tablet`, workCenterIds });
    stations.push({ id: row.id, name: row.name, workCenterIds: row.workCenterIds, token: row.token });
  }

  const usernames = new Set((await listUsers(tx)).map((u) => u.username.toLowerCase()));
  const pins = new Set<string>();
  const people: DemoPerson[] = [];
  for (const p of PEOPLE) {
    if (usernames.has(p.username) || (await resolveEmployee(tx, p.badge))) continue;
    // Nobody is told the password: demo people work on the floor with their badge or PIN.
    const user = await createUser(tx, actor, {
      username: p.username,
      displayName: p.displayName,
      role: p.role,
      password: generatePassword(p.username),
    });
    const pin = newPin(pins);
    await setOperatorCredential(tx, actor, user.id, { badge: p.badge, pin });
    people.push({ id: user.id, ...p, badgeCode: encodeCode({ type: 'badge', badge: p.badge }), pin });
  }
  return { stations, people };
}

/** The start-up lines that hand the demo's floor app over: a link per station, then the people. */
export function floorAppLines(baseUrl: string, floorApp: DemoFloorApp): string[] {
  const lines = floorApp.stations.map((s) => `kerf: floor app for ${s.name}: ${baseUrl}/floor#station=${s.token}`);
  if (floorApp.people.length > 0) {
    const people = floorApp.people.map(
      (p) => `${p.displayName} (${p.role}) PIN ${p.pin}, badge ${p.badge} scans as ${p.badgeCode}`,
    );
    lines.push(`kerf: demo credentials for the floor app (demo shop only, shown once): ${people.join('; ')}`);
  }
  return lines;
}
