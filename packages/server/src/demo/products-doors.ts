import type { MaterialCode } from './catalog.js';
import { laserStep, makeParts, makeRouting, quantityIn, round2, type ProductBuild } from './product-parts.js';
import type { Rng } from './prng.js';

/** Hollow-metal doors and frames (SDI sizes: 3070 = 3'0" x 7'0"). Minutes are per door or frame. */

const DOOR_SIZES = ['3068', '3070', '3070', '3670', '4070', '3080'] as const;

/** Exterior openings get galvanized (paintable, rust-resistant) steel, interior cold-rolled. */
const doorMaterial = (rng: Rng): MaterialCode => (rng.chance(0.35) ? 'GALV' : 'CRS');

/**
 * Face sheets are punched and formed while the hinge/lock reinforcements are lasered; both
 * meet at the assembly bench (stiffeners, core), then the edge seams are welded and ground.
 */
export function hollowMetalDoor(rng: Rng): ProductBuild {
  const size = rng.pick(DOOR_SIZES);
  const gauge = rng.pick([16, 16, 18]);
  const material = doorMaterial(rng);
  const quantity = quantityIn(rng, 2, 40);
  const stem = `HMD${size}`;
  const tall = size === '3080' ? 1.15 : 1;
  return {
    product: `Hollow-metal door ${size} ${gauge}ga ${material === 'GALV' ? 'galvanized' : 'CRS'}`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `${stem}-FACE-${material}${gauge}`, perUnit: 2, material, gauge, grain: 'NONE' },
      { partNumber: 'HMD-REINF-KIT-10', perUnit: 1, material: 'CRS', gauge: 10, grain: 'NONE' },
    ]),
    routings: makeRouting([
      { op: 'PUNCH-FACES', type: 'punch', setup: rng.int(15, 30), run: round2(7.5 * tall), category: 'TURRET-DOOR' },
      { op: 'FORM-FACES', type: 'brake', setup: rng.int(15, 25), run: round2(6.5 * tall), category: 'DIE-DOOR-EDGE' },
      laserStep(rng, 'CUT-REINF', 'CRS', 10, 4.5, []),
      {
        op: 'ASSEMBLE-CORE',
        type: 'assembly',
        setup: 10,
        run: round2(18 * tall),
        after: [2, 3],
        category: 'DOOR-TABLE',
        notes: 'stiffeners, honeycomb core, hinge and lock reinforcements',
      },
      { op: 'WELD-SEAMS', type: 'weld', setup: 10, run: round2(26 * tall), category: 'FIXTURE-DOOR' },
      { op: 'GRIND-FILL', type: 'polish', setup: 5, run: round2(20 * tall), category: 'GRIT-60' },
      { op: 'PACK-SHIP', type: 'ship', setup: 8, run: 1.2 },
    ]),
  };
}

const THROATS = [
  ['4-7/8', '478'],
  ['5-3/4', '534'],
  ['5-3/4', '534'],
  ['6-3/4', '634'],
  ['8-3/4', '834'],
] as const;

/** Knock-down frames ship as loose heads and jambs: a short chain. */
export function knockDownFrame(rng: Rng): ProductBuild {
  const [throat, code] = rng.pick(THROATS);
  const gauge = rng.pick([16, 16, 14]);
  const material = doorMaterial(rng);
  const quantity = quantityIn(rng, 4, 40);
  const stem = `DFKD${code}`;
  return {
    product: `Door frame KD ${throat} ${gauge}ga ${material === 'GALV' ? 'galvanized' : 'CRS'}`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `${stem}-HEAD-${gauge}`, perUnit: 1, material, gauge, grain: 'NONE' },
      { partNumber: `${stem}-JAMB-HINGE-${gauge}`, perUnit: 1, material, gauge, grain: 'NONE' },
      { partNumber: `${stem}-JAMB-STRIKE-${gauge}`, perUnit: 1, material, gauge, grain: 'NONE' },
    ]),
    routings: makeRouting([
      { op: 'PUNCH', type: 'punch', setup: rng.int(15, 25), run: 7, category: 'TURRET-FRAME' },
      { op: 'FORM', type: 'brake', setup: rng.int(20, 35), run: 9, category: `DIE-FRAME-${code}` },
      {
        op: 'KIT-PACK',
        type: 'assembly',
        setup: 5,
        run: 7,
        notes: 'anchors, silencers, hinge and strike reinforcements',
      },
      { op: 'SHIP', type: 'ship', setup: 8, run: 0.6 },
    ]),
  };
}

/** Welded frames: the head is lasered (mitred corners) while the jambs are punched. */
export function weldedFrame(rng: Rng): ProductBuild {
  const [throat, code] = rng.pick(THROATS);
  const material = doorMaterial(rng);
  const quantity = quantityIn(rng, 2, 30);
  const stem = `DFW${code}`;
  return {
    product: `Door frame welded ${throat} 14ga ${material === 'GALV' ? 'galvanized' : 'CRS'}`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `${stem}-HEAD-14`, perUnit: 1, material, gauge: 14, grain: 'NONE' },
      { partNumber: `${stem}-JAMB-14`, perUnit: 2, material, gauge: 14, grain: 'NONE' },
    ]),
    routings: makeRouting([
      { op: 'PUNCH-JAMBS', type: 'punch', setup: rng.int(15, 25), run: 6, category: 'TURRET-FRAME' },
      laserStep(rng, 'CUT-HEAD', material, 14, 3.5, []),
      { op: 'FORM', type: 'brake', setup: rng.int(20, 35), run: 10, after: [1, 2], category: `DIE-FRAME-${code}` },
      { op: 'WELD-CORNERS', type: 'weld', setup: 15, run: 24, category: 'FIXTURE-FRAME' },
      { op: 'GRIND-CORNERS', type: 'polish', setup: 5, run: 15, category: 'GRIT-60' },
      { op: 'SHIP', type: 'ship', setup: 8, run: 1 },
    ]),
  };
}
