import { addDays, formatDay, parseDay, usHolidays, weekdayOf } from './calendar-dates.js';
import type { DemoCalendarException, DemoDepartment, DemoShift, DemoWorkCenter } from './model.js';
import type { Rng } from './prng.js';

/** Departments, work centers and calendars of the demo plant (see handbook DOMAIN.md). */

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { id: 'laser', name: 'Laser', description: 'Fiber lasers; setups change with material and thickness' },
  { id: 'punch', name: 'Punch', description: 'CNC turret punches for door skins and frames' },
  { id: 'form', name: 'Form', description: 'Press brakes; setups are punch/die sets' },
  { id: 'weld', name: 'Weld', description: 'TIG/MIG stations and the robot cell; setups are fixtures' },
  { id: 'polish', name: 'Polish', description: 'Grinding, polishing and deburring' },
  { id: 'assembly', name: 'Assembly', description: 'Benches for hardware, sub-assembly joins and packing' },
  { id: 'ship', name: 'Ship', description: 'Crating and loading' },
];

interface CenterSpec {
  prefix: string;
  count: number;
  /** one name per center, or a single stem that gets the center's number */
  names: string[];
  departmentId: string;
  machineType: string;
  capacity: number;
  efficiency: [number, number];
  setupCategory: string | null;
  bottlenecks?: number;
  /** the protocol the center reports through, for its IoT device id */
  iot: 'mtc' | 'opcua' | 'mqtt' | null;
  sigmanest?: boolean;
}

// Capacity per 8.5 h shift: 510 minutes less lunch and breaks; lasers keep cutting through breaks.
const SPECS: CenterSpec[] = [
  {
    prefix: 'LASER',
    count: 3,
    names: ['Fiber laser 1 (6 kW, 5x10 bed)', 'Fiber laser 2 (6 kW, 5x10 bed)', 'Fiber laser 3 (3 kW, 4x8 bed)'],
    departmentId: 'laser',
    machineType: 'laser',
    capacity: 480,
    efficiency: [0.88, 0.95],
    setupCategory: 'SS304-16GA',
    bottlenecks: 2,
    iot: 'mtc',
    sigmanest: true,
  },
  {
    prefix: 'PUNCH',
    count: 2,
    names: ['Turret punch 1 (30 t)', 'Turret punch 2 (22 t)'],
    departmentId: 'punch',
    machineType: 'punch',
    capacity: 460,
    efficiency: [0.82, 0.9],
    setupCategory: 'TURRET-DOOR',
    iot: 'opcua',
    sigmanest: true,
  },
  {
    prefix: 'BRAKE',
    count: 3,
    names: ['Press brake 1 (175 t, 12 ft)', 'Press brake 2 (135 t, 10 ft)', 'Press brake 3 (90 t, 8 ft)'],
    departmentId: 'form',
    machineType: 'brake',
    capacity: 460,
    efficiency: [0.78, 0.88],
    setupCategory: 'DIE-V12-STD',
    iot: 'opcua',
  },
  {
    prefix: 'WELD',
    count: 6,
    names: ['TIG station 1', 'TIG station 2', 'TIG station 3', 'TIG station 4', 'MIG station 5', 'MIG station 6'],
    departmentId: 'weld',
    machineType: 'weld',
    capacity: 450,
    efficiency: [0.75, 0.85],
    setupCategory: 'FIXTURE-GENERAL',
    iot: 'mqtt',
  },
  {
    prefix: 'ROBOT-WELD',
    count: 1,
    names: ['Robotic weld cell (sink bowls)'],
    departmentId: 'weld',
    machineType: 'weld_robot',
    capacity: 470,
    efficiency: [0.9, 0.95],
    setupCategory: 'FIXTURE-BOWL',
    iot: 'mqtt',
  },
  {
    prefix: 'POLISH',
    count: 4,
    names: ['Grind/polish station'],
    departmentId: 'polish',
    machineType: 'polish',
    capacity: 450,
    efficiency: [0.75, 0.85],
    setupCategory: 'GRIT-NO4',
    iot: 'mqtt',
  },
  {
    prefix: 'DEBURR',
    count: 1,
    names: ['Wide-belt deburr and graining machine'],
    departmentId: 'polish',
    machineType: 'deburr',
    capacity: 460,
    efficiency: [0.85, 0.92],
    setupCategory: 'BELT-120',
    iot: 'mqtt',
  },
  {
    prefix: 'ASSY',
    count: 4,
    names: ['Assembly bench'],
    departmentId: 'assembly',
    machineType: 'assembly',
    capacity: 450,
    efficiency: [0.8, 0.92],
    setupCategory: null,
    iot: 'mqtt',
  },
  {
    prefix: 'SHIP',
    count: 1,
    names: ['Crating and loading dock'],
    departmentId: 'ship',
    machineType: 'ship',
    capacity: 450,
    efficiency: [0.85, 0.95],
    setupCategory: null,
    iot: null,
  },
];

export function demoWorkCenters(rng: Rng): DemoWorkCenter[] {
  const out: DemoWorkCenter[] = [];
  for (const s of SPECS) {
    for (let i = 1; i <= s.count; i++) {
      const id = `${s.prefix}-${String(i).padStart(2, '0')}`;
      out.push({
        id,
        name: s.names.length === s.count ? s.names[i - 1]! : `${s.names[0]} ${i}`,
        departmentId: s.departmentId,
        machineType: s.machineType,
        capacityMinutesPerShift: s.capacity,
        efficiencyFactor: rng.real(s.efficiency[0], s.efficiency[1]),
        setupCategory: s.setupCategory,
        isBottleneck: i <= (s.bottlenecks ?? 0),
        isActive: true,
        iotDeviceId: s.iot ? `${s.iot}-${id.toLowerCase()}` : null,
        sigmanestMachineId: s.sigmanest ? `SN-${id}` : null,
      });
    }
  }
  return out;
}

// Two 15 min breaks and a 30 min lunch: an 8.5 h shift works 450 minutes.
const FIRST_BREAKS = [
  { start: '09:00', end: '09:15' },
  { start: '11:30', end: '12:00' },
  { start: '13:00', end: '13:15' },
];
const DAY_SHIFTS = [
  { shiftNumber: 1, name: 'First shift', startTime: '06:00', endTime: '14:30', breaks: FIRST_BREAKS },
  {
    shiftNumber: 2,
    name: 'Second shift',
    startTime: '14:30',
    endTime: '23:00',
    breaks: [
      { start: '17:30', end: '17:45' },
      { start: '19:30', end: '20:00' },
      { start: '21:30', end: '21:45' },
    ],
  },
];

/**
 * Two shifts Monday to Friday everywhere (shipping works days only); the bottleneck lasers
 * add a night shift that ends the next morning on some weeknights, and a Saturday shift.
 */
export function demoShifts(centers: DemoWorkCenter[], rng: Rng): DemoShift[] {
  const out: DemoShift[] = [];
  // Friday night is never staffed; of Monday-Thursday the seed drops at most one night.
  const skippedNight = rng.int(0, 4);
  for (const c of centers) {
    for (let day = 0; day < 5; day++) {
      for (const s of DAY_SHIFTS) {
        if (c.machineType === 'ship' && s.shiftNumber === 2) continue;
        out.push({ workCenterId: c.id, dayOfWeek: day, ...s });
      }
      if (c.machineType === 'laser' && c.isBottleneck && day < 4 && day !== skippedNight) {
        out.push({
          workCenterId: c.id,
          dayOfWeek: day,
          shiftNumber: 3,
          name: 'Night shift',
          startTime: '23:00',
          endTime: '06:00',
          breaks: [{ start: '03:00', end: '03:30' }],
        });
      }
    }
    if (c.machineType === 'laser' && c.isBottleneck) {
      out.push({
        workCenterId: c.id,
        dayOfWeek: 5,
        shiftNumber: 1,
        name: 'Saturday overtime',
        startTime: '06:00',
        endTime: '14:30',
        breaks: FIRST_BREAKS,
      });
    }
  }
  return out;
}

/** Plant holidays of the coming year, and one maintenance day on a laser in the second week. */
export function demoExceptions(startDate: string, centers: DemoWorkCenter[], rng: Rng): DemoCalendarException[] {
  const start = parseDay(startDate);
  const holidays = usHolidays(start, addDays(start, 365));
  const out: DemoCalendarException[] = holidays.map((h) => ({
    workCenterId: null,
    exceptionDate: h.date,
    exceptionType: 'holiday',
    description: h.name,
  }));
  const lasers = centers.filter((c) => c.machineType === 'laser');
  const laser = rng.pick(lasers);
  let day = addDays(start, 7 + rng.int(0, 4));
  while (weekdayOf(day) > 4 || holidays.some((h) => h.date === formatDay(day))) day = addDays(day, 1);
  out.push({
    workCenterId: laser.id,
    exceptionDate: formatDay(day),
    exceptionType: 'maintenance',
    description: `${laser.id}: resonator service and chiller maintenance (vendor on site)`,
  });
  return out.sort((a, b) => a.exceptionDate.localeCompare(b.exceptionDate));
}
