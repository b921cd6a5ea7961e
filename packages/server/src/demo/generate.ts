import { parseDay } from './calendar-dates.js';
import { demoCustomers, demoMaterials } from './catalog.js';
import { DEMO_DEPARTMENTS, demoExceptions, demoShifts, demoWorkCenters } from './floor.js';
import { demoJobs } from './jobs.js';
import type { DemoShop } from './model.js';
import { Rng } from './prng.js';

export interface GenerateOptions {
  seed: number;
  /** number of jobs, 1..5000 */
  jobs: number;
  /** YYYY-MM-DD, normally a Monday: the first day of the horizon. No clock is read here. */
  startDate: string;
}

export const MAX_DEMO_JOBS = 5000;

/**
 * The demo shop as plain data. Deterministic: the same options give byte-identical JSON.
 * Each part of the shop draws from its own generator stream, so asking for more jobs
 * does not change the work centers or the materials.
 */
export function generateDemoShop(options: GenerateOptions): DemoShop {
  const { seed, jobs, startDate } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`seed: expected an integer 0..4294967295, got ${seed}`);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_DEMO_JOBS)
    throw new Error(`jobs: expected an integer 1..${MAX_DEMO_JOBS}, got ${jobs}`);
  parseDay(startDate);
  const stream = (n: number) => new Rng((seed + n * 0x3c6ef372) >>> 0);
  const workCenters = demoWorkCenters(stream(1));
  const exceptions = demoExceptions(startDate, workCenters, stream(3));
  const customers = demoCustomers();
  const holidays = new Set(exceptions.filter((e) => e.workCenterId === null).map((e) => e.exceptionDate));
  return {
    seed,
    startDate,
    departments: DEMO_DEPARTMENTS.map((d) => ({ ...d })),
    workCenters,
    shifts: demoShifts(workCenters, stream(2)),
    exceptions,
    customers: customers.map(({ kind: _kind, ...c }) => c),
    materials: demoMaterials(stream(4)),
    jobs: demoJobs(stream(5), jobs, { startDate, customers, holidays }),
  };
}
