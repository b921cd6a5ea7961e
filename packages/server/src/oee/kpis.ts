/**
 * The ISO 22400 KPIs from time elements and quantities. Ratios are fractions 0-1 (performance may
 * pass 1 when a standard is wrong: it is kept uncapped and the standard is flagged). Department
 * and plant figures are computed from summed elements (`sumElements`), never from averaged
 * percentages.
 */
import type { TimeElements } from './time-model.js';

export interface Quantities {
  /** produced (PQ) */
  produced: number;
  /** good at first pass (GQ) */
  good: number;
  /** scrap (SQ) */
  scrap: number;
  /** rework (RQ) */
  rework: number;
  /** sum of ideal time per item x items, minutes (PRI x PQ) */
  idealMinutes: number;
}

export type Variant = 'iso' | 'vorne';

export interface Kpis {
  variant: Variant;
  availability: number;
  performance: number;
  quality: number;
  oee: number;
  nee: number;
  teep: number;
  technicalEfficiency: number;
  setupRatio: number;
  scrapRatio: number;
  /**
   * performance (ideal time over actual run time) outside [0.7, 1.05]: the standard (routing,
   * CAM time) is suspect rather than the operator. Read as ideal/actual: a shop running 12 %
   * under its standard (0.88) is normal, one beating its ideal time by more than 5 % has a wrong
   * standard. Judged per window; a rollup flags a standard that stays outside.
   */
  suspectStandard: boolean;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function kpis(e: TimeElements, q: Quantities, variant: Variant, calendarMinutes: number): Kpis {
  // Vorne: planned maintenance is an availability loss, so it stays in the denominator.
  const planned = variant === 'vorne' ? e.pbt + e.apmt : e.pbt;
  const availability = ratio(e.apt, planned);
  const performance = ratio(q.idealMinutes, e.apt);
  const quality = ratio(q.good, q.produced);
  const oee = availability * performance * quality;
  const aupt = e.apt + e.aust;
  return {
    variant,
    availability,
    performance,
    quality,
    oee,
    nee: ratio(aupt, planned) * performance * quality,
    teep: ratio(oee * planned, calendarMinutes),
    technicalEfficiency: ratio(e.apt, e.apt + e.adet),
    setupRatio: ratio(e.aust, aupt),
    scrapRatio: ratio(q.scrap, q.produced),
    suspectStandard: q.idealMinutes > 0 && e.apt > 0 && (performance < 0.7 || performance > 1.05),
  };
}

/** Elements of several centers or buckets added up (what department and plant KPIs use). */
export function sumElements(parts: readonly TimeElements[]): TimeElements {
  const out: TimeElements = {
    pot: 0,
    pdot: 0,
    apmt: 0,
    pbt: 0,
    apt: 0,
    aust: 0,
    adet: 0,
    adot: 0,
    microStops: 0,
    unknown: 0,
  };
  for (const p of parts) for (const k of Object.keys(out) as (keyof TimeElements)[]) out[k] += p[k];
  return out;
}
