import { eq } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import type { CredentialChanges } from './credential-changes.js';
import { hashPassword } from './password.js';
import { checkPassword } from './password-policy.js';
import { publicUser, sessions, usernameIs, users } from './tables.js';

const RESET_ACTOR: Actor = { type: 'system', id: 'system', name: 'kerf admin reset', permissions: new Set() };

/**
 * The way back in when no enabled admin is left (`kerf admin reset`): makes `username` an
 * enabled admin with `password` and logs out its sessions. Undefined when there is no such user.
 * Run from the CLI while Kerf may be running: the running instances drop the user's cached
 * sessions when the recorded `auth.credentials-changed` event reaches them.
 */
export async function resetAdmin(
  db: Db,
  changes: Pick<CredentialChanges, 'record'>,
  username: string,
  password: string,
) {
  checkPassword(password, username);
  const passwordHash = await hashPassword(password);
  const row = await db.transaction(async (tx) => {
    const before = (await tx.select(publicUser).from(users).where(usernameIs(username)).for('update'))[0];
    if (!before) return undefined;
    const after = (
      await tx
        .update(users)
        .set({ role: 'admin', isActive: true, passwordHash, version: before.version + 1, updatedAt: new Date() })
        .where(eq(users.id, before.id))
        .returning(publicUser)
    )[0]!;
    await tx.delete(sessions).where(eq(sessions.userId, before.id));
    await recordAudit(tx, RESET_ACTOR, 'update', 'user', before.id, before, after);
    await changes.record(tx, 'admin reset');
    return after;
  });
  return row;
}
