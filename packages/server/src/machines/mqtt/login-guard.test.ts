import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/harness.js';
import { EmbeddedBroker, type BrokerOptions } from './broker.js';
import { connectDevice } from './broker-test-app.js';
import { saveDevice } from './devices.js';

// MQTT logins: a failed-login limit per user name and per remote address, and an unknown user
// name that costs as much as a known one with a wrong password (no user-name probing by timing).
let database: Awaited<ReturnType<typeof testDatabase>>;
const brokers: EmbeddedBroker[] = [];
beforeAll(async () => {
  database = await testDatabase();
  await saveDevice(database, { username: 'known-dev', password: 'right-password', allowedTopics: ['shopfloor/weld/'] });
  await saveDevice(database, { username: 'other-dev', password: 'right-password', allowedTopics: ['shopfloor/weld/'] });
});
afterAll(async () => {
  for (const b of brokers) await b.stop();
  await database?.drop();
});

let clock = Date.now();
async function startBroker(loginLimits: BrokerOptions['loginLimits']): Promise<EmbeddedBroker> {
  const broker = new EmbeddedBroker(database, {
    host: '127.0.0.1',
    port: 0,
    portExplicit: false,
    anonymous: false,
    internal: { username: 'kerf-ingest', password: 'internal-secret-for-tests' },
    log: () => undefined,
    loginLimits,
    now: () => clock,
  });
  await broker.start();
  brokers.push(broker);
  return broker;
}

/** Milliseconds from CONNECT to the broker's answer, and whether it let the client in. */
async function attempt(url: string, username: string, password: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  try {
    const client = await connectDevice(url, username, password);
    const ms = performance.now() - started;
    client.end(true);
    return { ms, ok: true };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('MQTT login timing', () => {
  it('an unknown user name takes as long as a known one with a wrong password', async () => {
    const broker = await startBroker({ perUsername: 10_000, perAddress: 10_000, windowMs: 60_000 });
    await attempt(broker.url, 'known-dev', 'wrong-password'); // first scrypt allocates its memory
    await attempt(broker.url, 'nobody', 'wrong-password');
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a burst of load from other processes hits both series alike.
    for (let i = 0; i < 9; i++) {
      const k = await attempt(broker.url, 'known-dev', `wrong-${i}`);
      const u = await attempt(broker.url, `nobody-${i}`, `wrong-${i}`);
      expect(k.ok || u.ok).toBe(false);
      known.push(k.ms);
      unknown.push(u.ms);
    }
    // Before the dummy hash an unknown name answered in ~3% of the time (8 vs 266 ms); half is a
    // wide margin for a loaded 2-core machine that still catches that.
    const [mk, mu] = [median(known), median(unknown)];
    console.log(`login refusal medians: known user ${mk.toFixed(1)} ms, unknown user ${mu.toFixed(1)} ms`);
    expect(Math.abs(mk - mu)).toBeLessThan(Math.max(25, 0.5 * mk));
  });
});

describe('MQTT failed-login limit', () => {
  it('refuses a user name, quickly, after its failed logins, even with the right password; a minute later it is let in', async () => {
    const broker = await startBroker({ perUsername: 3, perAddress: 1000, windowMs: 60_000 });
    const failed: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await attempt(broker.url, 'known-dev', `guess-${i}`);
      expect(r.ok).toBe(false);
      failed.push(r.ms);
    }
    const blocked = await attempt(broker.url, 'known-dev', 'right-password');
    expect(blocked.ok).toBe(false);
    expect(blocked.ms).toBeLessThan(median(failed));
    expect(broker.counters.throttledLogins).toBe(1);
    // Unknown names are limited the same way, so the limit tells nothing about which names exist.
    for (let i = 0; i < 3; i++) expect((await attempt(broker.url, 'ghost', `guess-${i}`)).ok).toBe(false);
    await attempt(broker.url, 'ghost', 'guess-4');
    expect(broker.counters.throttledLogins).toBe(2);
    // Another device is not held back by this one's failures.
    expect((await attempt(broker.url, 'other-dev', 'right-password')).ok).toBe(true);
    clock += 61_000;
    expect((await attempt(broker.url, 'known-dev', 'right-password')).ok).toBe(true);
  });

  it('refuses an address after its failed logins under many user names', async () => {
    const broker = await startBroker({ perUsername: 1000, perAddress: 4, windowMs: 60_000 });
    for (let i = 0; i < 4; i++) expect((await attempt(broker.url, `spray-${i}`, 'guess')).ok).toBe(false);
    expect((await attempt(broker.url, 'other-dev', 'right-password')).ok).toBe(false);
    expect(broker.counters.throttledLogins).toBe(1);
    clock += 61_000;
    expect((await attempt(broker.url, 'other-dev', 'right-password')).ok).toBe(true);
  });
});
