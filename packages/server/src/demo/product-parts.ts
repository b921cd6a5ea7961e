import type { PartInputT, RoutingInputT } from '../jobs/schemas.js';
import { setupCategoryOf, thicknessOf, type MaterialCode } from './catalog.js';
import type { Rng } from './prng.js';

/** Building blocks for the product families: parts of one job and a routing DAG. */

export interface ProductBuild {
  product: string;
  quantity: number;
  parts: PartInputT[];
  routings: RoutingInputT[];
}

export interface PartSpec {
  partNumber: string;
  perUnit: number;
  material: MaterialCode;
  gauge: number;
  /** brushed stainless keeps its grain direction on the sheet; painted steel does not care */
  grain: 'X' | 'Y' | 'NONE';
}

export function makeParts(rng: Rng, jobQuantity: number, specs: PartSpec[]): PartInputT[] {
  return specs.map((s) => ({
    partNumber: s.partNumber,
    // Most drawings are on revision A; engineering changes push a few to B-D.
    revision: rng.weighted([
      ['A', 70],
      ['B', 20],
      ['C', 7],
      ['D', 3],
    ] as const),
    quantity: s.perUnit * jobQuantity,
    materialCode: s.material,
    thickness: thicknessOf(s.material, s.gauge),
    dxfPath: `//cad/dxf/${s.partNumber}.dxf`,
    grainDirection: s.grain,
  }));
}

export interface StepSpec {
  op: string;
  type: string;
  setup: number;
  /** minutes per unit of the job */
  run: number;
  /** 1-based positions of the steps that must finish first; omitted = the step before */
  after?: number[];
  category?: string | null;
  preferred?: string | null;
  notes?: string;
}

/** Steps get sequences 10, 20, ...; every dependency is written out explicitly. */
export function makeRouting(steps: StepSpec[]): RoutingInputT[] {
  return steps.map((s, i) => {
    const after = s.after ?? (i === 0 ? [] : [i]);
    for (const a of after) if (a < 1 || a > i) throw new Error(`step ${i + 1} may only follow earlier steps, not ${a}`);
    return {
      sequence: (i + 1) * 10,
      operationCode: s.op,
      workCenterType: s.type,
      preferredWorkCenterId: s.preferred ?? null,
      setupMinutes: s.setup,
      runMinutesPerUnit: s.run,
      setupCategory: s.category ?? null,
      dependsOn: after.map((a) => a * 10),
      ...(s.notes ? { notes: s.notes } : {}),
    };
  });
}

/** A laser step: setup is a material change (nozzle, gas, focus), so it is 15-30 minutes. */
export function laserStep(
  rng: Rng,
  op: string,
  material: MaterialCode,
  gauge: number,
  run: number,
  after?: number[],
): StepSpec {
  return {
    op,
    type: 'laser',
    setup: rng.int(15, 30),
    run: round2(run),
    category: setupCategoryOf(material, gauge),
    ...(after ? { after } : {}),
  };
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** a job quantity, skewed toward the small end as custom work is */
export function quantityIn(rng: Rng, min: number, max: number): number {
  const skew = rng.next() ** 1.6;
  return Math.min(40, Math.max(1, Math.round(min + skew * (max - min))));
}
