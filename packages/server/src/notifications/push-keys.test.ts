import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db.js';
import { TEST_DATABASE_URL, testDatabase } from '../test/harness.js';
import { vapidIdentity } from './push-keys.js';
import { pushVapidKeys } from './push-tables.js';

describe('the installation’s VAPID key pair', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  /** on PostgreSQL: more pools on the same schema, as other processes starting at once would have */
  const others: Database[] = [];
  const config = loadConfig({});

  beforeAll(async () => {
    database = await testDatabase();
    if (database.kind === 'postgres') {
      const [{ schema }] = (await database.query<{ schema: string }>('SELECT current_schema() AS schema')) as [
        { schema: string },
      ];
      for (let i = 0; i < 4; i++) others.push(await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema }));
    }
  });
  afterAll(async () => {
    for (const o of others) await o.close();
    await database.drop();
  });

  it('concurrent first starts end with one key pair, the same for all', async () => {
    expect(await database.db.select().from(pushVapidKeys)).toEqual([]);
    const handles = others.length > 0 ? [database, ...others] : [database, database, database, database, database];
    const got = await Promise.all(handles.map((h) => vapidIdentity(h.db, config)));
    const stored = await database.db.select().from(pushVapidKeys);
    expect(stored).toHaveLength(1);
    for (const identity of got) {
      expect(identity.publicKey).toBe(stored[0]!.publicKey);
      expect(identity.privateKey).toBe(stored[0]!.privateKey);
    }
    expect(Buffer.from(stored[0]!.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(stored[0]!.privateKey, 'base64url')).toHaveLength(32);
    // a later start reads the same pair
    expect((await vapidIdentity(database.db, config)).publicKey).toBe(stored[0]!.publicKey);
  });

  it('KERF_VAPID_* replace the stored pair; a half-set or malformed pair refuses to start', async () => {
    const keys = webpush.generateVAPIDKeys();
    const env = { KERF_VAPID_PUBLIC_KEY: keys.publicKey, KERF_VAPID_PRIVATE_KEY: keys.privateKey };
    const identity = await vapidIdentity(
      database.db,
      loadConfig({ ...env, KERF_VAPID_SUBJECT: 'https://shop.example' }),
    );
    expect(identity).toEqual({ ...keys, subject: 'https://shop.example' });
    expect(() => loadConfig({ KERF_VAPID_PUBLIC_KEY: keys.publicKey })).toThrow(/set both or neither/);
    expect(() => loadConfig({ ...env, KERF_VAPID_PRIVATE_KEY: keys.publicKey })).toThrow(/KERF_VAPID_PRIVATE_KEY/);
    expect(() => loadConfig({ KERF_VAPID_SUBJECT: 'shop@example.com' })).toThrow(/KERF_VAPID_SUBJECT/);
    // the error names the variable, never echoes the private key
    try {
      loadConfig({ ...env, KERF_VAPID_PUBLIC_KEY: 'short' });
    } catch (err) {
      expect((err as Error).message).not.toContain(keys.privateKey);
    }
  });
});
