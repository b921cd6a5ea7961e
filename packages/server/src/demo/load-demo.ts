import { sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import { PERMISSIONS } from '../auth/permissions.js';
import { createJob } from '../jobs/job-service.js';
import { customerService, materialService } from '../jobs/services.js';
import { jobCount } from '../jobs/queries.js';
import type { Db } from '../platform/db.js';
import { calendarExceptionService, departmentService, workCenterService } from '../shop/services.js';
import { workCenterCount } from '../shop/queries.js';
import { insertShiftRules } from '../shop/shift-bulk-insert.js';
import { mondayOf } from './calendar-dates.js';
import type { ScheduleJob } from './demo-schedule.js';
import { createDemoFloorApp, type DemoFloorApp } from './floor-app.js';
import { generateDemoShop } from './generate.js';
import { bookDemoSlots } from './load-slots.js';
import type { DemoShop } from './model.js';

export interface DemoSummary {
  workCenters: number;
  jobs: number;
  routings: number;
  departments: number;
  shifts: number;
  exceptions: number;
  customers: number;
  materials: number;
  parts: number;
  slots: number;
  milliseconds: number;
  /** with options.floorApp: the stations and people, tokens and PINs included (print them once) */
  floorApp?: DemoFloorApp;
}

export interface DemoLoadOptions {
  /** called after every job, for a progress bar */
  onJob?: (done: number, total: number) => void;
  /** days from the start date for which schedule slots are booked (default 3) */
  slotDays?: number;
  /** IANA zone of the shift times (KERF_TIMEZONE); default UTC */
  timeZone?: string;
  /**
   * Also create floor stations and demo people with badges and PINs. Only a caller that shows
   * the one-time tokens asks for them: stations whose tokens nobody saw serve no tablet.
   */
  floorApp?: boolean;
}

// The demo writes through the same services as the API, as Kerf itself with every permission
// (createJob checks job:release for released jobs).
const DEMO_ACTOR: Actor = { ...SYSTEM_ACTOR, name: 'kerf demo loader', permissions: new Set(PERMISSIONS) };

// Two replicas starting on one empty database must not both load the demo.
const DEMO_LOCK = 4242_0002;
const PROGRESS_EVERY = 25;

export async function shopCounts(db: Db): Promise<{ workCenters: number; jobs: number }> {
  const [wc, jb] = await Promise.all([workCenterCount(db), jobCount(db)]);
  return { workCenters: wc, jobs: jb };
}

/**
 * Loads a generated shop in one transaction: all of it or nothing. Rows go through their
 * module's service (validation hooks, audit rows; nested service transactions become
 * savepoints), except the two bulk inserts that would dominate the load time: shifts
 * (insertShifts) and schedule slots (load-slots.ts). Released and started jobs get schedule
 * slots for the first days.
 */
export async function loadDemoShop(
  db: Db,
  shop: DemoShop,
  progress: (line: string) => void,
  options: DemoLoadOptions = {},
): Promise<DemoSummary> {
  return db.transaction((tx) => loadInto(tx, shop, progress, options));
}

/** Generates and loads the demo shop when there are no work centers and no jobs yet. */
export async function loadDemoShopIfEmpty(
  db: Db,
  options: { seed: number; jobs: number; startDate?: string },
  progress: (line: string) => void,
  loadOptions: DemoLoadOptions = {},
): Promise<DemoSummary | undefined> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DEMO_LOCK})`);
    const counts = await shopCounts(tx);
    if (counts.workCenters > 0 || counts.jobs > 0) return undefined;
    const startDate = options.startDate ?? mondayOf(new Date());
    const shop = generateDemoShop({ seed: options.seed, jobs: options.jobs, startDate });
    return loadInto(tx, shop, progress, loadOptions);
  });
}

async function loadInto(
  tx: Db,
  shop: DemoShop,
  progress: (line: string) => void,
  options: DemoLoadOptions,
): Promise<DemoSummary> {
  const began = performance.now();
  progress(
    `demo: shop floor: ${shop.departments.length} departments, ${shop.workCenters.length} work centers, ` +
      `${shop.shifts.length} shifts, ${shop.exceptions.length} calendar exceptions`,
  );
  for (const d of shop.departments) await departmentService.create(tx, DEMO_ACTOR, { ...d });
  for (const c of shop.workCenters) await workCenterService.create(tx, DEMO_ACTOR, { ...c });
  await insertShifts(tx, shop);
  for (const e of shop.exceptions) await calendarExceptionService.create(tx, DEMO_ACTOR, { ...e });
  const customerIds = new Map<string, string>();
  for (const c of shop.customers) {
    const row = await customerService.create(tx, DEMO_ACTOR, { ...c });
    customerIds.set(c.code, String(row.id));
  }
  for (const m of shop.materials) await materialService.create(tx, DEMO_ACTOR, { ...m });
  progress(`demo: ${shop.customers.length} customers, ${shop.materials.length} sheet stock items`);

  const toSchedule: ScheduleJob[] = [];
  let routings = 0;
  let parts = 0;
  for (const [i, { customerCode, ...input }] of shop.jobs.entries()) {
    const customerId = customerIds.get(customerCode);
    if (!customerId) throw new Error(`demo job ${input.jobNumber} names unknown customer ${customerCode}`);
    // Demo jobs are mid-life (started, complete): their status is recorded, not a new job's.
    const job = await createJob(tx, DEMO_ACTOR, { ...input, customerId }, { recordedStatus: true });
    routings += job.routings.length;
    parts += job.parts.length;
    if (job.status === 'released' || job.status === 'in_progress') {
      toSchedule.push({
        jobNumber: job.jobNumber,
        priority: job.priority,
        dueDate: job.dueDate.toISOString(),
        steps: job.routings.map((r) => ({ ...r, routingId: r.id })),
      });
    }
    options.onJob?.(i + 1, shop.jobs.length);
    if ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === shop.jobs.length) {
      progress(`demo: ${i + 1}/${shop.jobs.length} jobs`);
    }
  }

  const slots = await bookDemoSlots(tx, shop, toSchedule, {
    days: options.slotDays ?? 3,
    timeZone: options.timeZone ?? 'UTC',
  });
  const floorApp = options.floorApp ? await createDemoFloorApp(tx, DEMO_ACTOR, shop) : undefined;
  if (floorApp) {
    progress(
      `demo: floor app: ${floorApp.stations.length} stations, ${floorApp.people.length} people with badges and PINs`,
    );
  }
  const milliseconds = Math.round(performance.now() - began);
  await recordAudit(tx, DEMO_ACTOR, 'import', 'demo_shop', `seed-${shop.seed}`, null, {
    seed: shop.seed,
    startDate: shop.startDate,
    jobs: shop.jobs.length,
    shifts: shop.shifts.length,
    slots,
  });
  progress(`demo: ${slots} schedule slots for the first days; loaded in ${(milliseconds / 1000).toFixed(1)} s`);
  return {
    workCenters: shop.workCenters.length,
    jobs: shop.jobs.length,
    routings,
    departments: shop.departments.length,
    shifts: shop.shifts.length,
    exceptions: shop.exceptions.length,
    customers: shop.customers.length,
    materials: shop.materials.length,
    parts,
    slots,
    milliseconds,
    ...(floorApp ? { floorApp } : {}),
  };
}

/**
 * Shifts go in as one insert: 250 rows one by one through the service cost a second on PGlite.
 * They pass the service's own rule check first; the demo's single audit row (entity demo_shop)
 * covers them.
 */
async function insertShifts(tx: Db, shop: DemoShop): Promise<void> {
  await insertShiftRules(
    tx,
    shop.shifts.map((s) => ({ ...s })),
  );
}
