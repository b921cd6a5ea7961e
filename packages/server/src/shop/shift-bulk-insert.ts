import type { Db } from '../platform/db.js';
import { shiftCalendarService } from './services.js';
import { shiftCalendars } from './tables.js';

export type ShiftRuleInsert = typeof shiftCalendars.$inferInsert;

/**
 * Many shift rules in one insert (a generated shop): 250 rows one by one through the service
 * cost a second on PGlite. Each passes the service's own rule check first; no audit rows, so
 * the caller audits the load as a whole.
 */
export async function insertShiftRules(tx: Db, rows: ShiftRuleInsert[]): Promise<void> {
  if (rows.length === 0) return;
  const check = shiftCalendarService.spec.hooks?.beforeWrite;
  for (const s of rows) await check?.(tx, { ...s }, undefined);
  await tx.insert(shiftCalendars).values(rows);
}
