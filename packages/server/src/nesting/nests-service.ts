import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { iso, num, rowsOf } from './sql-rows.js';

export interface JobNest {
  id: string;
  programName: string;
  repeatId: number;
  status: 'posted' | 'deleted';
  sheetName: string | null;
  material: string | null;
  thickness: number | null;
  sheetWidth: number | null;
  sheetLength: number | null;
  sheetQty: number;
  utilization: number | null;
  scrapFraction: number | null;
  cutTimeSeconds: number | null;
  pierceCount: number | null;
  cutLength: number | null;
  ncFile: string | null;
  machine: string | null;
  postedAt: string;
  jobParts: { partNumber: string; quantity: number; cutTimeSeconds: number | null }[];
  otherJobs: string[];
}

/** The nests carrying a job's parts (a nest may carry several jobs), newest first. */
export async function nestsOfJob(db: Db, jobId: string): Promise<{ jobId: string; nests: JobNest[] }> {
  const job = (await rowsOf<{ job_number: string }>(db, sql`SELECT job_number FROM jobs WHERE id = ${jobId}`))[0];
  if (!job) throw notFound('job', jobId);
  const nests = await rowsOf<Record<string, unknown>>(
    db,
    sql`SELECT * FROM nest_results WHERE id IN (SELECT nest_id FROM nest_parts WHERE job_id = ${jobId} OR wo_number = ${job.job_number})
        ORDER BY posted_at DESC, program_name, repeat_id`,
  );
  const ids = nests.map((n) => String(n.id));
  const parts = ids.length
    ? await rowsOf<{
        nest_id: string;
        job_id: string | null;
        wo_number: string;
        part_name: string;
        quantity: number;
        cut_time_seconds: unknown;
      }>(
        db,
        sql`SELECT nest_id, job_id, wo_number, part_name, quantity, cut_time_seconds FROM nest_parts
            WHERE nest_id IN (${sql.join(
              ids.map((i) => sql`${i}`),
              sql`, `,
            )}) ORDER BY part_name`,
      )
    : [];
  return {
    jobId,
    nests: nests.map((n) => {
      const mine = parts.filter((p) => p.nest_id === n.id);
      const isMine = (p: (typeof mine)[number]) => p.job_id === jobId || p.wo_number === job.job_number;
      return {
        id: String(n.id),
        programName: String(n.program_name),
        repeatId: Number(n.repeat_id),
        status: n.status as 'posted' | 'deleted',
        sheetName: (n.sheet_name as string | null) ?? null,
        material: (n.material as string | null) ?? null,
        thickness: num(n.thickness),
        sheetWidth: num(n.sheet_width),
        sheetLength: num(n.sheet_length),
        sheetQty: Number(n.sheet_qty),
        utilization: num(n.utilization),
        scrapFraction: num(n.scrap_fraction),
        cutTimeSeconds: num(n.cut_time_seconds),
        pierceCount: num(n.pierce_count),
        cutLength: num(n.cut_length),
        ncFile: (n.nc_file as string | null) ?? null,
        machine: (n.machine as string | null) ?? null,
        postedAt: iso(n.posted_at)!,
        jobParts: mine
          .filter(isMine)
          .map((p) => ({ partNumber: p.part_name, quantity: p.quantity, cutTimeSeconds: num(p.cut_time_seconds) })),
        otherJobs: [...new Set(mine.filter((p) => !isMine(p)).map((p) => p.wo_number))].sort(),
      };
    }),
  };
}

export interface NcFileResolution {
  ncFile: string | null;
  exists: boolean;
  path: string | null;
  roots: string[];
  reason: string | null;
}

/** Finds an NC program under the configured roots, first root first; never outside a root. */
export function resolveNcPath(ncFile: string | null, roots: readonly string[]): NcFileResolution {
  const base = { ncFile, roots: [...roots] };
  if (!ncFile) return { ...base, exists: false, path: null, reason: 'the nest has no NC file' };
  if (roots.length === 0)
    return { ...base, exists: false, path: null, reason: 'no NC roots configured (KERF_NC_ROOTS)' };
  for (const root of roots) {
    const full = resolve(root, ncFile);
    const rel = relative(resolve(root), full);
    if (rel.startsWith('..') || isAbsolute(rel))
      return { ...base, exists: false, path: null, reason: `${ncFile} points outside the NC root ${root}` };
    if (existsSync(full) && statSync(full).isFile()) return { ...base, exists: true, path: full, reason: null };
  }
  return { ...base, exists: false, path: null, reason: `${ncFile} not found under ${roots.join(', ')}` };
}

export async function ncFileOfNest(db: Db, nestId: string, roots: readonly string[]): Promise<NcFileResolution> {
  const nest = (
    await rowsOf<{ nc_file: string | null }>(db, sql`SELECT nc_file FROM nest_results WHERE id::text = ${nestId}`)
  )[0];
  if (!nest) throw notFound('nest', nestId);
  return resolveNcPath(nest.nc_file, roots);
}

/**
 * When each job's laser work became schedulable (its nests posted) and its real cut seconds:
 * the release times a planner should honour for the jobs' laser steps.
 */
export async function laserReleaseTimes(
  db: Db,
): Promise<Map<string, { routingId: string | null; readyAt: Date; cutSeconds: number }>> {
  const rows = await rowsOf<{ job_id: string; routing_id: string | null; ready_at: unknown; cut_seconds: unknown }>(
    db,
    sql`SELECT job_id, routing_id, ready_at, cut_seconds FROM nest_job_times`,
  );
  return new Map(
    rows.map((r) => [
      r.job_id,
      { routingId: r.routing_id, readyAt: new Date(iso(r.ready_at)!), cutSeconds: Number(r.cut_seconds) },
    ]),
  );
}
