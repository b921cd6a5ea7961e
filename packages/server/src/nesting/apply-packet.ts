import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { PacketError, type FeedbackPacket, type PartFeedback, type ProgramFeedback } from './packet.js';
import { num, rowsOf } from './sql-rows.js';

export interface ApplyResult {
  /** false when this packet was applied before (crash between apply and delete) */
  applied: boolean;
  programs: number;
  jobs: number;
}

const keyOf = (p: { programName: string; repeatId: number }) => `${p.programName}\u0000${p.repeatId}`;

async function giveBackSheets(tx: Db, materialId: string | null, qty: number): Promise<void> {
  if (!materialId || qty <= 0) return;
  await tx.execute(
    sql`UPDATE materials SET quantity = quantity + ${qty}, version = version + 1, updated_at = now() WHERE id = ${materialId}`,
  );
}

/** Takes the nest's sheets out of Kerf's stock: the matching sheet row (either orientation), fullest first. */
async function takeSheets(tx: Db, p: ProgramFeedback): Promise<string | null> {
  if (!p.material || p.thickness === null || p.sheetLength === null || p.sheetWidth === null) return null;
  const row = (
    await rowsOf<{ id: string }>(
      tx,
      sql`SELECT id FROM materials
          WHERE code = ${p.material} AND abs(thickness - ${p.thickness}) < 0.0001
            AND ((abs(sheet_width - ${p.sheetWidth}) < 0.01 AND abs(sheet_length - ${p.sheetLength}) < 0.01)
              OR (abs(sheet_width - ${p.sheetLength}) < 0.01 AND abs(sheet_length - ${p.sheetWidth}) < 0.01))
            AND upper(coalesce(location, '')) <> 'REMNANT'
          ORDER BY quantity DESC, id LIMIT 1 FOR UPDATE`,
    )
  )[0];
  if (!row) return null;
  await tx.execute(
    sql`UPDATE materials SET quantity = GREATEST(quantity - ${p.sheetQty}, 0), version = version + 1, updated_at = now()
        WHERE id = ${row.id}`,
  );
  return row.id;
}

async function jobsOfNest(tx: Db, nestId: string): Promise<string[]> {
  const rows = await rowsOf<{ job_id: string }>(
    tx,
    sql`SELECT DISTINCT job_id FROM nest_parts WHERE nest_id = ${nestId} AND job_id IS NOT NULL`,
  );
  return rows.map((r) => r.job_id);
}

async function existing(tx: Db, p: { programName: string; repeatId: number }) {
  return (
    await rowsOf<{ id: string; status: string; sheet_qty: number; stock_material_id: string | null }>(
      tx,
      sql`SELECT id, status, sheet_qty, stock_material_id FROM nest_results
          WHERE program_name = ${p.programName} AND repeat_id = ${p.repeatId} FOR UPDATE`,
    )
  )[0];
}

async function upsertNest(
  tx: Db,
  packetId: string,
  p: ProgramFeedback,
  parts: PartFeedback[],
  jobs: Set<string>,
  jobIdOf: (woNumber: string) => Promise<string | null>,
) {
  const old = await existing(tx, p);
  if (old) {
    for (const j of await jobsOfNest(tx, old.id)) jobs.add(j);
    // A re-post replaces the nest: undo what the earlier post took from stock.
    if (old.status === 'posted') await giveBackSheets(tx, old.stock_material_id, old.sheet_qty);
  }
  const stockId = await takeSheets(tx, p);
  const area = p.sheetLength && p.sheetWidth ? p.sheetLength * p.sheetWidth * Math.max(p.sheetQty, 1) : null;
  const utilization =
    p.usedArea !== null && area
      ? Math.min(p.usedArea / area, 1)
      : p.scrapFraction !== null
        ? 1 - p.scrapFraction
        : null;
  const cutLength = parts.reduce((s, x) => s + (x.cuttingLength ?? 0) * x.qty, 0);
  const nest = (
    await rowsOf<{ id: string }>(
      tx,
      sql`INSERT INTO nest_results (program_name, repeat_id, status, sheet_name, material, thickness, sheet_width, sheet_length,
            sheet_qty, utilization, scrap_fraction, cut_time_seconds, pierce_count, cut_length, nc_file, machine,
            stock_material_id, packet_id, posted_at)
          VALUES (${p.programName}, ${p.repeatId}, 'posted', ${p.sheetName}, ${p.material}, ${p.thickness}, ${p.sheetWidth},
            ${p.sheetLength}, ${p.sheetQty}, ${utilization}, ${p.scrapFraction ?? (utilization === null ? null : 1 - utilization)},
            ${p.cuttingTime}, ${p.pierceQty}, ${cutLength || null}, ${p.ncFile}, ${p.machine}, ${stockId}, ${packetId},
            ${(p.postedAt ?? new Date()).toISOString()})
          ON CONFLICT (program_name, repeat_id) DO UPDATE SET status = 'posted', sheet_name = EXCLUDED.sheet_name,
            material = EXCLUDED.material, thickness = EXCLUDED.thickness, sheet_width = EXCLUDED.sheet_width,
            sheet_length = EXCLUDED.sheet_length, sheet_qty = EXCLUDED.sheet_qty, utilization = EXCLUDED.utilization,
            scrap_fraction = EXCLUDED.scrap_fraction, cut_time_seconds = EXCLUDED.cut_time_seconds,
            pierce_count = EXCLUDED.pierce_count, cut_length = EXCLUDED.cut_length, nc_file = EXCLUDED.nc_file,
            machine = EXCLUDED.machine, stock_material_id = EXCLUDED.stock_material_id, packet_id = EXCLUDED.packet_id,
            posted_at = EXCLUDED.posted_at, updated_at = now()
          RETURNING id`,
    )
  )[0]!;
  await tx.execute(sql`DELETE FROM nest_parts WHERE nest_id = ${nest.id}`);
  for (const part of parts) {
    const jobId = await jobIdOf(part.woNumber);
    if (jobId) jobs.add(jobId);
    await tx.execute(
      sql`INSERT INTO nest_parts (nest_id, job_id, wo_number, part_name, quantity, cut_time_seconds, cut_length, pierce_count,
            part_length, part_width)
          VALUES (${nest.id}, ${jobId}, ${part.woNumber}, ${part.partName}, ${part.qty},
            ${part.cuttingTime === null ? null : part.cuttingTime * part.qty},
            ${part.cuttingLength === null ? null : part.cuttingLength * part.qty},
            ${part.pierceQty === null ? null : part.pierceQty * part.qty}, ${part.partLength}, ${part.partWidth})`,
    );
  }
}

async function deleteNest(tx: Db, p: ProgramFeedback, jobs: Set<string>): Promise<void> {
  const old = await existing(tx, p);
  if (!old || old.status !== 'posted') return;
  for (const j of await jobsOfNest(tx, old.id)) jobs.add(j);
  await giveBackSheets(tx, old.stock_material_id, old.sheet_qty);
  await tx.execute(sql`UPDATE nest_results SET status = 'deleted', updated_at = now() WHERE id = ${old.id}`);
}

/**
 * Real cut times replace the estimate on the job's first laser routing step, and the job's laser
 * work becomes schedulable from when its last nest was posted (nest_job_times.ready_at).
 */
async function updateJobTimes(tx: Db, jobId: string): Promise<void> {
  const t = (
    await rowsOf<{ seconds: unknown; ready: Date | string | null }>(
      tx,
      sql`SELECT sum(np.cut_time_seconds) AS seconds, max(nr.posted_at) AS ready
          FROM nest_parts np JOIN nest_results nr ON nr.id = np.nest_id
          WHERE np.job_id = ${jobId} AND nr.status = 'posted'`,
    )
  )[0];
  const seconds = num(t?.seconds);
  if (seconds === null || !t?.ready) {
    await tx.execute(sql`DELETE FROM nest_job_times WHERE job_id = ${jobId}`);
    return;
  }
  const routing = (
    await rowsOf<{ id: string; quantity: number }>(
      tx,
      sql`SELECT id, quantity FROM job_routings WHERE job_id = ${jobId} AND work_center_type ILIKE '%laser%'
          ORDER BY sequence LIMIT 1`,
    )
  )[0];
  if (routing) {
    const perUnit = Math.max(Math.round((seconds / 60 / routing.quantity) * 10000) / 10000, 0.0001);
    await tx.execute(
      sql`UPDATE job_routings SET run_minutes_per_unit = ${perUnit}, version = version + 1, updated_at = now()
          WHERE id = ${routing.id}`,
    );
  }
  const ready = t.ready instanceof Date ? t.ready.toISOString() : String(t.ready);
  await tx.execute(
    sql`INSERT INTO nest_job_times (job_id, routing_id, cut_seconds, ready_at) VALUES (${jobId}, ${routing?.id ?? null}, ${seconds}, ${ready})
        ON CONFLICT (job_id) DO UPDATE SET routing_id = EXCLUDED.routing_id, cut_seconds = EXCLUDED.cut_seconds,
          ready_at = EXCLUDED.ready_at, updated_at = now()`,
  );
}

async function applyRemnants(tx: Db, packet: FeedbackPacket): Promise<void> {
  for (const r of packet.remnants) {
    if (r.transType === 'SN102') continue;
    const [w, l] = [Math.round(r.width * 100) / 100, Math.round(r.length * 100) / 100];
    if (r.transType === 'SN100') {
      await tx.execute(
        sql`INSERT INTO materials (code, description, thickness, sheet_width, sheet_length, quantity, location)
            VALUES (${r.material}, ${`remnant ${r.remnantName}`}, ${r.thickness}, ${w}, ${l}, 1, 'REMNANT')
            ON CONFLICT (code, sheet_width, sheet_length, location)
            DO UPDATE SET quantity = materials.quantity + 1, version = materials.version + 1, updated_at = now()`,
      );
    } else {
      await tx.execute(
        sql`UPDATE materials SET quantity = GREATEST(quantity - 1, 0), version = version + 1, updated_at = now()
            WHERE code = ${r.material} AND sheet_width = ${w} AND sheet_length = ${l} AND location = 'REMNANT'`,
      );
    }
  }
}

/**
 * Applies one packet in one Kerf transaction. Per program the packet's last word wins: SN101
 * deletes, SN100 posts (replacing an earlier post: a re-post is SN101 + SN100 in one packet),
 * SN102 updates. The packet id is recorded first, so a packet is never applied twice.
 */
export async function applyPacket(db: Db, packet: FeedbackPacket): Promise<ApplyResult> {
  return db.transaction(async (tx) => {
    const claimed = await rowsOf<{ packet_id: string }>(
      tx,
      sql`INSERT INTO nest_packets (packet_id, source, status, programs)
          VALUES (${packet.packetId}, ${packet.source}, 'applied', ${new Set(packet.programs.map(keyOf)).size})
          ON CONFLICT (packet_id) DO NOTHING RETURNING packet_id`,
    );
    if (claimed.length === 0) return { applied: false, programs: 0, jobs: 0 };
    const inPacket = new Set(packet.programs.map(keyOf));
    for (const part of packet.parts) {
      if (inPacket.has(keyOf(part))) continue;
      if (!(await existing(tx, part)))
        throw new PacketError(
          `packet ${packet.packetId}: part ${part.partName} (${part.woNumber}) is on program ${part.programName}/${part.repeatId}, which is neither in the packet nor known to Kerf`,
        );
    }
    const last = new Map<string, ProgramFeedback>();
    for (const p of packet.programs) last.set(keyOf(p), p);
    const jobs = new Set<string>();
    const jobIds = new Map<string, string | null>();
    const jobIdOf = async (wo: string) => {
      if (!jobIds.has(wo))
        jobIds.set(
          wo,
          (await rowsOf<{ id: string }>(tx, sql`SELECT id FROM jobs WHERE job_number = ${wo}`))[0]?.id ?? null,
        );
      return jobIds.get(wo)!;
    };
    for (const [key, p] of last) {
      const parts = packet.parts.filter((x) => keyOf(x) === key && x.transType !== 'SN101');
      if (p.transType === 'SN101') await deleteNest(tx, p, jobs);
      else if (p.transType === 'SN100' || !(await existing(tx, p)))
        await upsertNest(tx, packet.packetId, p, parts, jobs, jobIdOf);
      else {
        const old = (await existing(tx, p))!;
        await tx.execute(
          sql`UPDATE nest_results SET cut_time_seconds = ${p.cuttingTime}, pierce_count = COALESCE(${p.pierceQty}, pierce_count),
                scrap_fraction = COALESCE(${p.scrapFraction}, scrap_fraction), machine = COALESCE(${p.machine}, machine),
                packet_id = ${packet.packetId}, updated_at = now()
              WHERE id = ${old.id}`,
        );
        for (const j of await jobsOfNest(tx, old.id)) jobs.add(j);
      }
    }
    await applyRemnants(tx, packet);
    for (const j of jobs) await updateJobTimes(tx, j);
    return { applied: true, programs: last.size, jobs: jobs.size };
  });
}

/** Records a refused packet (and why) without applying any of it. */
export async function rejectPacket(db: Db, packetId: string | null, source: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    // A refused table packet is remembered so it is not re-read every poll; a refused file is moved away instead.
    if (packetId !== null)
      await tx.execute(
        sql`INSERT INTO nest_packets (packet_id, source, status, reason) VALUES (${packetId}, ${source}, 'rejected', ${reason})
            ON CONFLICT (packet_id) DO NOTHING`,
      );
    await tx.execute(sql`INSERT INTO nest_rejections (source, reason) VALUES (${source}, ${reason})`);
  });
}
