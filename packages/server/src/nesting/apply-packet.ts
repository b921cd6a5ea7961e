import { and, eq, isNotNull, max, sql, sum } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { jobIdByNumber } from '../jobs/queries.js';
import { firstStepOfType, retimeStep } from '../jobs/retime-step.js';
import { addRemnant, consumeRemnant, consumeStock, returnStock, type CommandDeps } from '../jobs/stock-commands.js';
import type { Db } from '../platform/db.js';
import { EventBus } from '../platform/events.js';
import { PacketError, type FeedbackPacket, type PartFeedback, type ProgramFeedback } from './packet.js';
import { num } from './sql-rows.js';
import { nestJobTimes, nestPackets, nestParts, nestRejections, nestResults } from './tables.js';

/** Who changes stock and routing times when SigmaNEST reports back, in the audit log. */
export const NESTING_ACTOR: Actor = {
  type: 'system',
  id: 'nesting',
  name: 'SigmaNEST feedback',
  permissions: new Set(),
};

// Without the context's bus the events are still written to the outbox in the packet's
// transaction; the outbox drainer's poll delivers them.
const outboxOnly = new EventBus();

export interface ApplyResult {
  /** false when this packet was applied before (crash between apply and delete) */
  applied: boolean;
  programs: number;
  jobs: number;
}

const keyOf = (p: { programName: string; repeatId: number }) => `${p.programName}\u0000${p.repeatId}`;

async function giveBackSheets(tx: Db, deps: CommandDeps, nest: ExistingNest): Promise<void> {
  if (!nest.stockMaterialId || nest.sheetQty <= 0) return;
  await returnStock(tx, deps, nest.stockMaterialId, nest.sheetQty, `nest ${nest.programName}/${nest.repeatId} undone`);
}

/** Takes the nest's sheets out of Kerf's stock: the matching sheet row (either orientation), fullest first. */
async function takeSheets(tx: Db, deps: CommandDeps, p: ProgramFeedback): Promise<string | null> {
  if (!p.material || p.thickness === null || p.sheetLength === null || p.sheetWidth === null) return null;
  return consumeStock(
    tx,
    deps,
    { code: p.material, thickness: p.thickness, width: p.sheetWidth, length: p.sheetLength },
    p.sheetQty,
    `nest ${p.programName}/${p.repeatId} posted`,
  );
}

async function jobsOfNest(tx: Db, nestId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ jobId: nestParts.jobId })
    .from(nestParts)
    .where(and(eq(nestParts.nestId, nestId), isNotNull(nestParts.jobId)));
  return rows.map((r) => r.jobId!);
}

type ExistingNest = typeof nestResults.$inferSelect;

async function existing(tx: Db, p: { programName: string; repeatId: number }): Promise<ExistingNest | undefined> {
  return (
    await tx
      .select()
      .from(nestResults)
      .where(and(eq(nestResults.programName, p.programName), eq(nestResults.repeatId, p.repeatId)))
      .for('update')
  )[0];
}

async function upsertNest(
  tx: Db,
  deps: CommandDeps,
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
    if (old.status === 'posted') await giveBackSheets(tx, deps, old);
  }
  const stockId = await takeSheets(tx, deps, p);
  const area = p.sheetLength && p.sheetWidth ? p.sheetLength * p.sheetWidth * Math.max(p.sheetQty, 1) : null;
  const utilization =
    p.usedArea !== null && area
      ? Math.min(p.usedArea / area, 1)
      : p.scrapFraction !== null
        ? 1 - p.scrapFraction
        : null;
  const cutLength = parts.reduce((s, x) => s + (x.cuttingLength ?? 0) * x.qty, 0);
  const values = {
    programName: p.programName,
    repeatId: p.repeatId,
    status: 'posted',
    sheetName: p.sheetName,
    material: p.material,
    thickness: p.thickness,
    sheetWidth: p.sheetWidth,
    sheetLength: p.sheetLength,
    sheetQty: p.sheetQty,
    utilization,
    scrapFraction: p.scrapFraction ?? (utilization === null ? null : 1 - utilization),
    cutTimeSeconds: p.cuttingTime,
    pierceCount: p.pierceQty,
    cutLength: cutLength || null,
    ncFile: p.ncFile,
    machine: p.machine,
    stockMaterialId: stockId,
    packetId,
    postedAt: p.postedAt ?? new Date(),
  };
  const { programName: _p, repeatId: _r, ...replaced } = values;
  const nest = (
    await tx
      .insert(nestResults)
      .values(values)
      .onConflictDoUpdate({
        target: [nestResults.programName, nestResults.repeatId],
        set: { ...replaced, updatedAt: new Date() },
      })
      .returning({ id: nestResults.id })
  )[0]!;
  await tx.delete(nestParts).where(eq(nestParts.nestId, nest.id));
  for (const part of parts) {
    const jobId = await jobIdOf(part.woNumber);
    if (jobId) jobs.add(jobId);
    await tx.insert(nestParts).values({
      nestId: nest.id,
      jobId,
      woNumber: part.woNumber,
      partName: part.partName,
      quantity: part.qty,
      cutTimeSeconds: part.cuttingTime === null ? null : part.cuttingTime * part.qty,
      cutLength: part.cuttingLength === null ? null : part.cuttingLength * part.qty,
      pierceCount: part.pierceQty === null ? null : part.pierceQty * part.qty,
      partLength: part.partLength,
      partWidth: part.partWidth,
    });
  }
}

async function deleteNest(tx: Db, deps: CommandDeps, p: ProgramFeedback, jobs: Set<string>): Promise<void> {
  const old = await existing(tx, p);
  if (!old || old.status !== 'posted') return;
  for (const j of await jobsOfNest(tx, old.id)) jobs.add(j);
  await giveBackSheets(tx, deps, old);
  await tx.update(nestResults).set({ status: 'deleted', updatedAt: new Date() }).where(eq(nestResults.id, old.id));
}

/**
 * Real cut times replace the estimate on the job's first laser routing step, and the job's laser
 * work becomes schedulable from when its last nest was posted (nest_job_times.ready_at).
 */
async function updateJobTimes(tx: Db, deps: CommandDeps, jobId: string): Promise<void> {
  const t = (
    await tx
      .select({ seconds: sum(nestParts.cutTimeSeconds), ready: max(nestResults.postedAt) })
      .from(nestParts)
      .innerJoin(nestResults, eq(nestResults.id, nestParts.nestId))
      .where(and(eq(nestParts.jobId, jobId), eq(nestResults.status, 'posted')))
  )[0];
  const seconds = num(t?.seconds);
  if (seconds === null || !t?.ready) {
    await tx.delete(nestJobTimes).where(eq(nestJobTimes.jobId, jobId));
    return;
  }
  const routing = await firstStepOfType(tx, jobId, 'laser');
  if (routing) {
    const perUnit = Math.max(Math.round((seconds / 60 / routing.quantity) * 10000) / 10000, 0.0001);
    await retimeStep(tx, deps, routing.id, perUnit, 'nest cut time');
  }
  const times = { routingId: routing?.id ?? null, cutSeconds: seconds, readyAt: new Date(t.ready) };
  await tx
    .insert(nestJobTimes)
    .values({ jobId, ...times })
    .onConflictDoUpdate({ target: nestJobTimes.jobId, set: { ...times, updatedAt: new Date() } });
}

async function applyRemnants(tx: Db, deps: CommandDeps, packet: FeedbackPacket): Promise<void> {
  for (const r of packet.remnants) {
    if (r.transType === 'SN102') continue;
    const spec = {
      code: r.material,
      thickness: r.thickness,
      width: Math.round(r.width * 100) / 100,
      length: Math.round(r.length * 100) / 100,
    };
    if (r.transType === 'SN100') await addRemnant(tx, deps, spec, r.remnantName);
    else await consumeRemnant(tx, deps, spec, r.remnantName);
  }
}

/**
 * Applies one packet in one Kerf transaction. Per program the packet's last word wins: SN101
 * deletes, SN100 posts (replacing an earlier post: a re-post is SN101 + SN100 in one packet),
 * SN102 updates. The packet id is recorded first, so a packet is never applied twice.
 */
export async function applyPacket(
  db: Db,
  packet: FeedbackPacket,
  events: CommandDeps['events'] = outboxOnly,
): Promise<ApplyResult> {
  const deps: CommandDeps = { actor: NESTING_ACTOR, events };
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(nestPackets)
      .values({
        packetId: packet.packetId,
        source: packet.source,
        status: 'applied',
        programs: new Set(packet.programs.map(keyOf)).size,
      })
      .onConflictDoNothing({ target: nestPackets.packetId })
      .returning({ packetId: nestPackets.packetId });
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
      if (!jobIds.has(wo)) jobIds.set(wo, await jobIdByNumber(tx, wo));
      return jobIds.get(wo)!;
    };
    for (const [key, p] of last) {
      const parts = packet.parts.filter((x) => keyOf(x) === key && x.transType !== 'SN101');
      if (p.transType === 'SN101') await deleteNest(tx, deps, p, jobs);
      else if (p.transType === 'SN100' || !(await existing(tx, p)))
        await upsertNest(tx, deps, packet.packetId, p, parts, jobs, jobIdOf);
      else {
        const old = (await existing(tx, p))!;
        await tx
          .update(nestResults)
          .set({
            cutTimeSeconds: p.cuttingTime,
            pierceCount: sql`COALESCE(${p.pierceQty}::integer, ${nestResults.pierceCount})`,
            scrapFraction: sql`COALESCE(${p.scrapFraction}::numeric, ${nestResults.scrapFraction})`,
            machine: sql`COALESCE(${p.machine}::varchar, ${nestResults.machine})`,
            packetId: packet.packetId,
            updatedAt: new Date(),
          })
          .where(eq(nestResults.id, old.id));
        for (const j of await jobsOfNest(tx, old.id)) jobs.add(j);
      }
    }
    await applyRemnants(tx, deps, packet);
    for (const j of jobs) await updateJobTimes(tx, deps, j);
    return { applied: true, programs: last.size, jobs: jobs.size };
  });
}

/** Records a refused packet (and why) without applying any of it. */
export async function rejectPacket(db: Db, packetId: string | null, source: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    // A refused table packet is remembered so it is not re-read every poll; a refused file is moved away instead.
    if (packetId !== null)
      await tx
        .insert(nestPackets)
        .values({ packetId, source, status: 'rejected', reason })
        .onConflictDoNothing({ target: nestPackets.packetId });
    await tx.insert(nestRejections).values({ source, reason });
  });
}
