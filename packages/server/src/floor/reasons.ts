import { asc, eq } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { floorReasons } from './tables.js';

export type ReasonKind = 'pause' | 'scrap' | 'overrun' | 'downtime' | 'quality' | 'material';

/** The active reason codes, by kind; downtime reasons form a tree through parentCode. */
export async function listReasons(db: Db) {
  const rows = await db
    .select()
    .from(floorReasons)
    .where(eq(floorReasons.isActive, true))
    .orderBy(asc(floorReasons.kind), asc(floorReasons.code));
  // The table's CHECK constraint holds kind to these six.
  return rows.map(({ isActive: _omit, ...r }) => ({ ...r, kind: r.kind as ReasonKind }));
}
