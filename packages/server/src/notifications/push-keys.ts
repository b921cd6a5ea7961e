import webpush from 'web-push';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import { pushVapidKeys } from './push-tables.js';

/** What signs Kerf's pushes (RFC 8292). The private key stays in this process: never returned, never logged. */
export interface VapidIdentity {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/**
 * The installation's VAPID key pair: the environment's when KERF_VAPID_* are set, else the one
 * in push_vapid_keys, made on first use. Two processes starting together each try to insert a
 * pair; the primary key keeps one, and both read that one back.
 */
export async function vapidIdentity(
  db: Db,
  config: Pick<Config, 'vapidKeys' | 'vapidSubject'>,
): Promise<VapidIdentity> {
  if (config.vapidKeys) return { ...config.vapidKeys, subject: config.vapidSubject };
  let row = (await db.select().from(pushVapidKeys).limit(1))[0];
  if (!row) {
    const fresh = webpush.generateVAPIDKeys();
    await db
      .insert(pushVapidKeys)
      .values({ id: 1, publicKey: fresh.publicKey, privateKey: fresh.privateKey })
      .onConflictDoNothing();
    row = (await db.select().from(pushVapidKeys).limit(1))[0]!;
  }
  return { publicKey: row.publicKey, privateKey: row.privateKey, subject: config.vapidSubject };
}

/** Reads the identity once per process; a failed read is tried again on the next call. */
export function vapidIdentityCache(db: () => Db, config: Pick<Config, 'vapidKeys' | 'vapidSubject'>) {
  let pending: Promise<VapidIdentity> | undefined;
  return (): Promise<VapidIdentity> => {
    pending ??= vapidIdentity(db(), config).catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
