import type { MaterialCode } from './catalog.js';
import { laserStep, makeParts, makeRouting, quantityIn, round2, type ProductBuild } from './product-parts.js';
import type { Rng } from './prng.js';

/** Commercial kitchen and hospital stainless products. Minutes are per unit of the job. */

type Builder = (rng: Rng, stainless: MaterialCode) => ProductBuild;

/** Top and undershelf are different gauges, so two laser branches join at assembly. */
export const workTable: Builder = (rng, ss) => {
  const [w, l] = rng.pick([
    [24, 48],
    [30, 60],
    [30, 72],
    [30, 96],
    [36, 72],
    [36, 96],
  ] as const);
  const gauge = rng.pick([14, 16, 16]);
  const size = (w * l) / (30 * 72);
  const quantity = quantityIn(rng, 1, 24);
  const stem = `WT${w}${l}`;
  const longBrake = l > 72 ? 'BRAKE-01' : null;
  return {
    product: `Work table ${w}x${l} ${ss} ${gauge}ga`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `${stem}-TOP-${gauge}`, perUnit: 1, material: ss, gauge, grain: l >= w ? 'X' : 'Y' },
      { partNumber: `${stem}-HAT-${gauge}`, perUnit: 2, material: ss, gauge, grain: 'NONE' },
      { partNumber: `${stem}-USH-18`, perUnit: 1, material: ss, gauge: 18, grain: 'X' },
    ]),
    routings: makeRouting([
      laserStep(rng, 'CUT-TOP', ss, gauge, 10 * size),
      {
        op: 'FORM-TOP',
        type: 'brake',
        setup: rng.int(15, 25),
        run: round2(6 + 3 * size),
        category: 'DIE-V12-MARINE',
        preferred: longBrake,
      },
      { op: 'WELD-TOP', type: 'weld', setup: rng.int(8, 15), run: round2(20 + 10 * size), category: 'FIXTURE-TABLE' },
      laserStep(rng, 'CUT-SHELF', ss, 18, 6 * size, []),
      {
        op: 'FORM-SHELF',
        type: 'brake',
        setup: rng.int(10, 20),
        run: round2(4 + 1.5 * size),
        category: 'DIE-V8-STD',
        preferred: longBrake,
      },
      {
        op: 'ASSEMBLE',
        type: 'assembly',
        setup: 5,
        run: round2(15 + 5 * size),
        after: [3, 5],
        notes: 'legs, gussets, bullet feet',
      },
      { op: 'CRATE-SHIP', type: 'ship', setup: 8, run: round2(2.5 + size) },
    ]),
  };
};

/** Bowls go through the robot cell while the drainboards are formed; both join at the sink weld. */
export const threeCompartmentSink: Builder = (rng, ss) => {
  const [bw, bl] = rng.pick([
    [16, 20],
    [18, 18],
    [18, 24],
    [24, 24],
  ] as const);
  const drain = rng.pick([18, 24]);
  const quantity = quantityIn(rng, 1, 8);
  const stem = `3CS${bw}${bl}`;
  return {
    product: `Three-compartment sink ${bw}x${bl} bowls, ${drain}in drainboards ${ss} 14ga`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `${stem}-BOWL-14`, perUnit: 3, material: ss, gauge: 14, grain: 'Y' },
      { partNumber: `${stem}-DB${drain}-14`, perUnit: 2, material: ss, gauge: 14, grain: 'X' },
      { partNumber: `${stem}-SPLASH-14`, perUnit: 1, material: ss, gauge: 14, grain: 'X' },
    ]),
    routings: makeRouting([
      laserStep(rng, 'CUT', ss, 14, round2(24 + bw / 3)),
      { op: 'FORM-BOWLS', type: 'brake', setup: rng.int(20, 35), run: round2(18 + bw / 3), category: 'DIE-V16-BOWL' },
      {
        op: 'WELD-BOWLS',
        type: 'weld_robot',
        setup: rng.int(15, 25),
        run: 24,
        category: 'FIXTURE-BOWL',
        preferred: 'ROBOT-WELD-01',
      },
      {
        op: 'FORM-DRAINBOARDS',
        type: 'brake',
        setup: rng.int(15, 25),
        run: round2(9 + drain / 6),
        after: [1],
        category: 'DIE-V12-STD',
      },
      {
        op: 'WELD-SINK',
        type: 'weld',
        setup: rng.int(15, 20),
        run: rng.int(100, 150),
        after: [3, 4],
        category: 'FIXTURE-SINK',
      },
      { op: 'POLISH', type: 'polish', setup: 10, run: rng.int(70, 110), category: 'GRIT-NO4' },
      { op: 'CRATE-SHIP', type: 'ship', setup: 10, run: 10 },
    ]),
  };
};

export const handSink: Builder = (rng, ss) => {
  const quantity = quantityIn(rng, 2, 30);
  return {
    product: `Wall-mount hand sink 17x15 ${ss} 18ga`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: 'HS1715-BOWL-18', perUnit: 1, material: ss, gauge: 18, grain: 'Y' },
      { partNumber: 'HS1715-SPLASH-18', perUnit: 1, material: ss, gauge: 18, grain: 'X' },
    ]),
    routings: makeRouting([
      laserStep(rng, 'CUT', ss, 18, 6),
      { op: 'FORM', type: 'brake', setup: rng.int(15, 25), run: 7, category: 'DIE-V8-STD' },
      {
        op: 'WELD-BOWL',
        type: 'weld_robot',
        setup: rng.int(10, 20),
        run: 12,
        category: 'FIXTURE-HANDSINK',
        preferred: 'ROBOT-WELD-01',
      },
      { op: 'POLISH', type: 'polish', setup: 8, run: 25, category: 'GRIT-NO4' },
      { op: 'ASSEMBLE', type: 'assembly', setup: 5, run: 10, notes: 'faucet deck, drain, wall bracket' },
      { op: 'PACK-SHIP', type: 'ship', setup: 5, run: 1.5 },
    ]),
  };
};

/** Stainless canopy welded up while the galvanized plenum is punched and formed. */
export const exhaustHood: Builder = (rng, ss) => {
  const feet = rng.pick([6, 8, 10, 12, 14]);
  const quantity = quantityIn(rng, 1, 6);
  const stem = `HOOD${feet}FT`;
  const brake = feet >= 10 ? 'BRAKE-01' : null;
  return {
    product: `Exhaust hood ${feet}ft ${ss} 18ga`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `${stem}-SHELL-18`, perUnit: feet > 12 ? 2 : 1, material: ss, gauge: 18, grain: 'X' },
      { partNumber: `${stem}-PLENUM-18`, perUnit: 1, material: 'GALV', gauge: 18, grain: 'NONE' },
      { partNumber: `${stem}-BAFFLE-RAIL-16`, perUnit: 2, material: 'GALV', gauge: 16, grain: 'NONE' },
    ]),
    routings: makeRouting([
      laserStep(rng, 'CUT-SHELL', ss, 18, feet * 2.5),
      {
        op: 'FORM-SHELL',
        type: 'brake',
        setup: rng.int(20, 35),
        run: round2(feet * 3),
        category: 'DIE-V12-STD',
        preferred: brake,
      },
      { op: 'WELD-SHELL', type: 'weld', setup: 15, run: round2(feet * 14), category: 'FIXTURE-HOOD' },
      {
        op: 'PUNCH-PLENUM',
        type: 'punch',
        setup: rng.int(20, 30),
        run: round2(feet * 1.8),
        after: [],
        category: 'TURRET-HOOD',
      },
      {
        op: 'FORM-PLENUM',
        type: 'brake',
        setup: rng.int(15, 25),
        run: round2(feet * 1.8),
        category: 'DIE-V12-STD',
        preferred: brake,
      },
      {
        op: 'ASSEMBLE',
        type: 'assembly',
        setup: 10,
        run: round2(feet * 8),
        after: [3, 5],
        notes: 'plenum, grease trough, baffle filters, light fixtures',
      },
      { op: 'CRATE-SHIP', type: 'ship', setup: 10, run: round2(8 + feet / 2) },
    ]),
  };
};

export const wallShelf: Builder = (rng, ss) => {
  const l = rng.pick([36, 48, 60, 72]);
  const quantity = quantityIn(rng, 4, 40);
  const deburr = rng.chance(0.5);
  return {
    product: `Wall shelf 12x${l} ${ss} 18ga`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `WS12${l}-SHELF-18`, perUnit: 1, material: ss, gauge: 18, grain: 'X' },
      { partNumber: 'WS12-BRACKET-18', perUnit: 2, material: ss, gauge: 18, grain: 'NONE' },
    ]),
    routings: makeRouting([
      laserStep(rng, 'CUT', ss, 18, round2(2 + l / 30)),
      ...(deburr ? [{ op: 'DEBURR', type: 'deburr', setup: 10, run: 0.8, category: 'BELT-120' }] : []),
      { op: 'FORM', type: 'brake', setup: rng.int(10, 20), run: round2(2.5 + l / 36), category: 'DIE-V8-STD' },
      { op: 'PACK-SHIP', type: 'ship', setup: 5, run: 0.5 },
    ]),
  };
};

/** A hospital clean-utility cabinet: body and doors cut together, finished apart, joined at assembly. */
export const wallCabinet: Builder = (rng, ss) => {
  const [w, h] = rng.pick([
    [36, 30],
    [48, 30],
    [60, 36],
  ] as const);
  const quantity = quantityIn(rng, 1, 12);
  const stem = `CAB${w}${h}`;
  return {
    product: `Wall cabinet ${w}x${h} ${ss} 16ga with hinged doors`,
    quantity,
    parts: makeParts(rng, quantity, [
      { partNumber: `${stem}-BODY-16`, perUnit: 1, material: ss, gauge: 16, grain: 'Y' },
      { partNumber: `${stem}-DOOR-16`, perUnit: 2, material: ss, gauge: 16, grain: 'Y' },
      { partNumber: `${stem}-SHELF-16`, perUnit: 2, material: ss, gauge: 16, grain: 'X' },
    ]),
    routings: makeRouting([
      laserStep(rng, 'CUT', ss, 16, round2(14 + w / 6)),
      { op: 'FORM-BODY', type: 'brake', setup: rng.int(15, 30), run: round2(12 + w / 8), category: 'DIE-V12-STD' },
      { op: 'WELD-BODY', type: 'weld', setup: 12, run: round2(35 + w / 2), category: 'FIXTURE-CABINET' },
      { op: 'POLISH-BODY', type: 'polish', setup: 8, run: round2(30 + w / 4), category: 'GRIT-NO4' },
      { op: 'FORM-DOORS', type: 'brake', setup: rng.int(10, 20), run: 9, after: [1], category: 'DIE-V8-HEM' },
      {
        op: 'ASSEMBLE',
        type: 'assembly',
        setup: 8,
        run: 28,
        after: [4, 5],
        notes: 'hang doors, hinges, magnetic catches',
      },
      { op: 'CRATE-SHIP', type: 'ship', setup: 8, run: 4 },
    ]),
  };
};
