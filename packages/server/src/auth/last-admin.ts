import { and, eq } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { users } from './tables.js';

/**
 * Refuses a change that would leave no enabled admin (nobody could manage users any more; the
 * way back is `kerf admin reset`). Call it in the transaction of the change, before reading the
 * target row: it locks the enabled admins in id order, so two admins demoting each other at the
 * same time queue here and the second sees the first's result, instead of both succeeding.
 */
export async function refuseRemovingLastAdmin(
  tx: Db,
  targetId: string,
  changes: { role?: string; isActive?: boolean },
): Promise<void> {
  const demotes = changes.role !== undefined && changes.role !== 'admin';
  const disables = changes.isActive === false;
  if (!demotes && !disables) return;
  const admins = await tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.isActive, true)))
    .orderBy(users.id)
    .for('update');
  const target = admins.find((a) => a.id === targetId);
  if (!target || admins.length > 1) return;
  throw new AppError(
    'conflict',
    'last_admin',
    `user ${target.username} is the last enabled admin and cannot be ${demotes ? 'given another role' : 'disabled'}: ` +
      'make another user an admin first',
    demotes ? 'role' : 'isActive',
  );
}
