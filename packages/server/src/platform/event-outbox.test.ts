import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabase, TEST_DB } from '../test/harness.js';
import type { Database } from './db.js';
import { OutboxDrainer } from './event-outbox.js';
import { EventBus, type EventEnvelope, type EventFanout, type KerfEvent } from './events.js';
import { RedisFanout } from './redis-fanout.js';

// A durable event every build declares (auth/events.ts); any would do.
const changed = (reason: string): KerfEvent => ({ type: 'auth.credentials-changed', reason });

let database: Database & { drop: () => Promise<void> };
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => database.drop());
beforeEach(async () => {
  await database.query('DELETE FROM domain_events');
});

function collect(bus: EventBus): KerfEvent[] {
  const seen: KerfEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  return seen;
}

const pending = async () =>
  Number(
    (await database.query<{ n: string }>('SELECT count(*) AS n FROM domain_events WHERE published_at IS NULL'))[0]!.n,
  );

describe('domain_events outbox', () => {
  it('delivers a committed event once, and nothing of a rolled-back transaction', async () => {
    const bus = new EventBus();
    const seen = collect(bus);
    const drainer = new OutboxDrainer(database, bus);
    await database.db.transaction(async (tx) => bus.record(tx, changed('kept')));
    await expect(
      database.db.transaction(async (tx) => {
        await bus.record(tx, changed('rolled back'));
        throw new Error('the command failed after recording');
      }),
    ).rejects.toThrow('the command failed');
    // recorded, not yet delivered: the transaction alone does not publish
    expect(seen).toEqual([]);
    expect(await drainer.drain()).toBe(1);
    expect(await drainer.drain()).toBe(0);
    expect(seen).toEqual([changed('kept')]);
    expect(await pending()).toBe(0);
  });

  it('delivers after commit on its own once started (no explicit drain)', async () => {
    const bus = new EventBus();
    const seen = collect(bus);
    const drainer = new OutboxDrainer(database, bus, { pollMs: 60_000 });
    drainer.start();
    try {
      await database.db.transaction(async (tx) => bus.record(tx, changed('soon')));
      const until = Date.now() + 5_000;
      while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual([changed('soon')]);
    } finally {
      await drainer.stop();
    }
  });

  it('a process that committed and died before publishing: the next drainer delivers once, a later one nothing', async () => {
    // The first "process" commits three events and stops before its drainer ever runs.
    const first = new EventBus();
    for (const reason of ['a', 'b', 'c'])
      await database.db.transaction(async (tx) => first.record(tx, changed(reason)));
    expect(await pending()).toBe(3);
    // The restarted process.
    const second = new EventBus();
    const seen = collect(second);
    expect(await new OutboxDrainer(database, second).drain()).toBe(3);
    expect(seen.map((e) => (e as { reason: string }).reason)).toEqual(['a', 'b', 'c']);
    // And once more: what was delivered is not delivered again.
    const third = new EventBus();
    const seenThird = collect(third);
    expect(await new OutboxDrainer(database, third).drain()).toBe(0);
    expect(seenThird).toEqual([]);
  });

  it.runIf(TEST_DB === 'postgres')('two drainers on two connections share the rows: each event once', async () => {
    const other = await testDatabaseSameSchema();
    try {
      const a = new EventBus();
      const b = new EventBus();
      const seenA = collect(a);
      const seenB = collect(b);
      const n = 200;
      await database.db.transaction(async (tx) => {
        for (let i = 0; i < n; i++) await a.record(tx, changed(`e${i}`));
      });
      const small = { batch: 7 };
      await Promise.all([new OutboxDrainer(database, a, small).drain(), new OutboxDrainer(other, b, small).drain()]);
      const all = [...seenA, ...seenB].map((e) => (e as { reason: string }).reason).sort();
      expect(all).toHaveLength(n);
      expect(new Set(all).size).toBe(n);
      expect(await pending()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('a durable event delivered twice (publish, then a crash before the mark) reaches a subscriber once', async () => {
    const sent: EventEnvelope[] = [];
    let receive: (e: EventEnvelope) => void = () => undefined;
    // A fan-out that hands every envelope to the other instance, as Redis does.
    const wire: EventFanout = {
      start: async (r) => {
        receive = r;
      },
      send: async (e) => {
        sent.push(e);
      },
      stop: async () => undefined,
    };
    const receiver = new EventBus();
    await receiver.connect(wire);
    const seen = collect(receiver);
    const envelope = { id: '42', origin: 'another-host:1', event: changed('twice') };
    receive(envelope);
    receive(envelope);
    receive({ ...envelope, id: '43' });
    expect(seen).toHaveLength(2);
  });
});

describe('Redis fan-out', () => {
  it('carries durable and live events to another instance, once each, and not back to the sender', async () => {
    const a = new EventBus();
    const b = new EventBus();
    await a.connect(new RedisFanout('redis://127.0.0.1:6379'));
    await b.connect(new RedisFanout('redis://127.0.0.1:6379'));
    // Both buses live in this process and share its instance id; tell B apart by a fake origin below.
    const seenA = collect(a);
    const seenB = collect(b);
    try {
      const { Redis } = await import('ioredis');
      const other = new Redis('redis://127.0.0.1:6379');
      const envelope: EventEnvelope = { id: `r${Date.now()}`, origin: 'another-host:1', event: changed('via redis') };
      await other.publish('kerf:events', JSON.stringify(envelope));
      await other.publish('kerf:events', JSON.stringify(envelope));
      await other.publish('kerf:events', 'not json');
      other.disconnect();
      const until = Date.now() + 3_000;
      while ((seenA.length === 0 || seenB.length === 0) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      expect(seenA).toEqual([changed('via redis')]);
      expect(seenB).toEqual([changed('via redis')]);
      // Own events: delivered locally at once, and not a second time from Redis.
      a.publish(changed('live'));
      await new Promise((r) => setTimeout(r, 300));
      expect(seenA.filter((e) => (e as { reason: string }).reason === 'live')).toHaveLength(1);
    } finally {
      await a.disconnect();
      await b.disconnect();
    }
  });
});

/** A second connection pool on the same schema, as a second Kerf instance has. */
async function testDatabaseSameSchema(): Promise<Database> {
  const { openDatabase } = await import('./db.js');
  const schema = (
    (await database.db.execute(sql`SELECT current_schema() AS s`)) as unknown as { rows: { s: string }[] }
  ).rows[0]!.s;
  const url = process.env.KERF_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  return openDatabase({ databaseUrl: url, schema });
}
