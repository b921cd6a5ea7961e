import { and, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { floorStations, stationSignIns } from './tables.js';

/**
 * The people working at a work center right now: signed in (not signed out, not expired) on a
 * station that is not revoked and serves it. This is who a change to that center's queue or a
 * rush job arriving there concerns; Kerf has no other record of who runs which machine.
 */
export async function crewAt(db: Db, workCenterId: string, now = new Date()): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: stationSignIns.userId })
    .from(stationSignIns)
    .innerJoin(floorStations, sql`${floorStations.id} = ${stationSignIns.stationId}`)
    .where(
      and(
        isNull(stationSignIns.signedOutAt),
        gt(stationSignIns.expiresAt, now),
        isNull(floorStations.revokedAt),
        sql`${floorStations.workCenterIds} @> ${JSON.stringify([workCenterId])}::jsonb`,
      ),
    );
  return rows.map((r) => r.userId);
}
