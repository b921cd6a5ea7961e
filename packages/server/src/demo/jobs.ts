import { addDays, formatDay, parseDay, weekdayOf } from './calendar-dates.js';
import type { CatalogCustomer, CustomerKind, MaterialCode } from './catalog.js';
import type { DemoJob } from './model.js';
import { hollowMetalDoor, knockDownFrame, weldedFrame } from './products-doors.js';
import { exhaustHood, handSink, threeCompartmentSink, wallCabinet, wallShelf, workTable } from './products-kitchen.js';
import type { ProductBuild } from './product-parts.js';
import type { Rng } from './prng.js';

/** The order book: ~N jobs due over the next four weeks, each from one product family. */

type Family = (rng: Rng, stainless: MaterialCode) => ProductBuild;

// What each kind of customer buys, by relative weight.
const FAMILIES: Record<CustomerKind, Array<readonly [Family, number]>> = {
  restaurant: [
    [workTable, 30],
    [threeCompartmentSink, 15],
    [handSink, 10],
    [exhaustHood, 20],
    [wallShelf, 20],
    [wallCabinet, 5],
  ],
  hospital: [
    [workTable, 20],
    [wallCabinet, 25],
    [handSink, 15],
    [hollowMetalDoor, 20],
    [knockDownFrame, 15],
    [wallShelf, 5],
  ],
  school: [
    [workTable, 15],
    [threeCompartmentSink, 10],
    [exhaustHood, 10],
    [hollowMetalDoor, 25],
    [knockDownFrame, 25],
    [wallShelf, 15],
  ],
  contractor: [
    [hollowMetalDoor, 45],
    [knockDownFrame, 35],
    [weldedFrame, 20],
  ],
};

const KIND_WEIGHTS = [
  ['restaurant', 35],
  ['hospital', 20],
  ['school', 20],
  ['contractor', 25],
] as const;
const PRIORITY_WEIGHTS = [
  [1, 10],
  [2, 20],
  [3, 55],
  [4, 15],
] as const;
/** days from the start of the horizon to the due date, by priority: rush work is due soon */
const DUE_WINDOW: Record<number, [number, number]> = { 1: [2, 8], 2: [5, 14], 3: [7, 27], 4: [14, 27] };

const HOLD_REASONS = [
  'On hold: waiting for customer approval of shop drawings',
  'On hold: field dimensions not yet verified',
  'On hold: hardware schedule revision pending',
  'On hold: sheet stock on order',
];

export interface JobContext {
  startDate: string;
  customers: CatalogCustomer[];
  /** YYYY-MM-DD of plant-wide holidays: nothing falls due on them */
  holidays: ReadonlySet<string>;
}

function dueDate(rng: Rng, ctx: JobContext, priority: number): { iso: string; days: number } {
  const [min, max] = DUE_WINDOW[priority]!;
  let days = rng.int(min, max);
  let day = addDays(parseDay(ctx.startDate), days);
  while (weekdayOf(day) > 4 || ctx.holidays.has(formatDay(day))) {
    day = addDays(day, 1);
    days++;
  }
  // Due at the end of the second shift (22:00 UTC) of a working day.
  return { iso: `${formatDay(day)}T22:00:00.000Z`, days };
}

/** Work due soon is mostly released already; a few jobs are started or held. */
function statusFor(rng: Rng, daysToDue: number): NonNullable<DemoJob['status']> {
  if (daysToDue <= 10)
    return rng.weighted([
      ['released', 58],
      ['in_progress', 15],
      ['planned', 19],
      ['on_hold', 8],
    ] as const);
  return rng.weighted([
    ['planned', 60],
    ['released', 35],
    ['on_hold', 5],
  ] as const);
}

export function demoJobs(rng: Rng, count: number, ctx: JobContext): DemoJob[] {
  const yy = ctx.startDate.slice(2, 4);
  const jobs: DemoJob[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted(KIND_WEIGHTS);
    const customer = rng.pick(ctx.customers.filter((c) => c.kind === kind));
    const family = rng.weighted(FAMILIES[kind]);
    const stainless: MaterialCode = kind === 'hospital' && rng.chance(0.6) ? 'SS316' : 'SS304';
    const build = family(rng, stainless);
    const priority = rng.weighted(PRIORITY_WEIGHTS);
    const due = dueDate(rng, ctx, priority);
    const status = statusFor(rng, due.days);
    const notes = status === 'on_hold' ? rng.pick(HOLD_REASONS) : priority === 1 ? 'Rush: site opening moved up' : null;
    jobs.push({
      jobNumber: `J${yy}-${String(1001 + i).padStart(5, '0')}`,
      customerCode: customer.code,
      product: build.product,
      quantity: build.quantity,
      dueDate: due.iso,
      priority,
      status,
      notes,
      parts: build.parts,
      routings: build.routings,
    });
  }
  return jobs;
}
