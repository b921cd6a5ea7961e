import type { DemoCustomer, DemoMaterial } from './model.js';
import type { Rng } from './prng.js';

/** Customers and sheet stock of the demo shop. Names are invented; emails use example.com. */

export type CustomerKind = 'restaurant' | 'hospital' | 'school' | 'contractor';

export interface CatalogCustomer extends DemoCustomer {
  kind: CustomerKind;
}

const CUSTOMERS: Array<[string, string, CustomerKind]> = [
  ['HARBOR-GRILL', 'Harbor Grill Restaurants', 'restaurant'],
  ['BLUE-EMBER', 'Blue Ember Pizza Co.', 'restaurant'],
  ['MESA-TACO', 'Mesa Taco Kitchens', 'restaurant'],
  ['COPPER-KETTLE', 'Copper Kettle Diners', 'restaurant'],
  ['NORTHSHORE-BBQ', 'Northshore BBQ Group', 'restaurant'],
  ['ST-BRENDAN', 'St. Brendan Medical Center', 'hospital'],
  ['LAKEVIEW-REG', 'Lakeview Regional Hospital', 'hospital'],
  ['RIVERBEND-HEALTH', 'Riverbend Health System', 'hospital'],
  ['CEDAR-VALLEY-USD', 'Cedar Valley Unified School District', 'school'],
  ['NORTHFIELD-PS', 'Northfield Public Schools', 'school'],
  ['PINE-RIDGE-ISD', 'Pine Ridge Independent School District', 'school'],
  ['IRONBRIDGE', 'Ironbridge Builders', 'contractor'],
  ['SUMMIT-GC', 'Summit General Contractors', 'contractor'],
  ['KEYSTONE-CONST', 'Keystone Construction Group', 'contractor'],
  ['GRANITE-STATE', 'Granite State Building Co.', 'contractor'],
];

const NOTES: Record<CustomerKind, string> = {
  restaurant: 'Chain account; ships to the store build-out site',
  hospital: 'Facilities engineering; SS316 and passivation on request',
  school: 'Summer kitchen renovations and door packages; PO via district purchasing',
  contractor: 'Door and frame packages per hardware schedule; ship to jobsite',
};

export function demoCustomers(): CatalogCustomer[] {
  return CUSTOMERS.map(([code, name, kind]) => ({
    code,
    name,
    kind,
    contactEmail: `purchasing@${code.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`,
    notes: NOTES[kind],
  }));
}

export type MaterialCode = 'SS304' | 'SS316' | 'CRS' | 'GALV';

// Gauge thickness in inches: the stainless sheet table for SS, manufacturer's standard
// gauge for cold-rolled steel, and the galvanized table (coating included) for GALV.
const GAUGES: Record<MaterialCode, Record<number, number>> = {
  SS304: { 10: 0.1406, 12: 0.1094, 14: 0.0781, 16: 0.0625, 18: 0.05, 20: 0.0375 },
  SS316: { 10: 0.1406, 12: 0.1094, 14: 0.0781, 16: 0.0625, 18: 0.05, 20: 0.0375 },
  CRS: { 10: 0.1345, 12: 0.1046, 14: 0.0747, 16: 0.0598, 18: 0.0478, 20: 0.0359 },
  GALV: { 10: 0.1382, 12: 0.1084, 14: 0.0785, 16: 0.0635, 18: 0.0516, 20: 0.0396 },
};

export function thicknessOf(material: MaterialCode, gauge: number): number {
  const t = GAUGES[material][gauge];
  if (t === undefined) throw new Error(`no ${gauge} ga in the ${material} table`);
  return t;
}

/** The laser setup category: the nozzle, gas and focus follow material and gauge. */
export const setupCategoryOf = (material: MaterialCode, gauge: number): string => `${material}-${gauge}GA`;

const STOCK: Array<[MaterialCode, number[], string, number, number]> = [
  // material, gauges, rack row, density lb/ft3, price $/lb
  ['SS304', [10, 12, 14, 16, 18, 20], 'A', 500, 2.1],
  ['SS316', [12, 14, 16, 18], 'B', 500, 3.05],
  ['CRS', [10, 12, 14, 16, 18], 'C', 490, 0.58],
  ['GALV', [14, 16, 18, 20], 'D', 490, 0.72],
];

const DESCRIPTIONS: Record<MaterialCode, string> = {
  SS304: 'Stainless 304, #4 brushed one side, PVC film',
  SS316: 'Stainless 316L, #4 brushed one side, PVC film',
  CRS: 'Cold-rolled steel, A1008 CS type B',
  GALV: 'Galvanized steel, G60 coating',
};

/** Sheets in stock: every gauge in 48x96, the common gauges also in 60x120. */
export function demoMaterials(rng: Rng): DemoMaterial[] {
  const out: DemoMaterial[] = [];
  for (const [code, gauges, row, density, perLb] of STOCK) {
    let slot = 1;
    for (const gauge of gauges) {
      const sizes: Array<[number, number]> = [[48, 96]];
      if (gauge === 14 || gauge === 16) sizes.push([60, 120]);
      for (const [w, l] of sizes) {
        const thickness = thicknessOf(code, gauge);
        const pounds = (w * l * thickness * density) / 1728;
        out.push({
          code,
          description: `${DESCRIPTIONS[code]}, ${gauge} ga, ${w}x${l}`,
          thickness,
          sheetWidth: w,
          sheetLength: l,
          quantity: rng.int(gauge <= 12 ? 4 : 10, gauge <= 12 ? 20 : 60),
          unitCost: Math.round(pounds * perLb * rng.real(0.95, 1.08, 3) * 100) / 100,
          location: `RACK-${row}-${String(slot++).padStart(2, '0')}`,
        });
      }
    }
  }
  return out;
}
