/**
 * How each machine type behaves, in seconds of simulated time. Ranges are rough shop-floor
 * figures (DOMAIN.md: laser setups 15-30 min, weld/polish manual stations with long idle gaps),
 * good enough for OEE dashboards to look alive, not a calibrated model.
 */
import type { AlarmSeverity } from '@kerf/connectors';

export const MACHINE_KINDS = ['laser', 'punch', 'press_brake', 'weld', 'polish', 'assembly'] as const;
export type MachineKind = (typeof MACHINE_KINDS)[number];

export type Range = readonly [min: number, max: number];

export interface AlarmSpec {
  code: string;
  message: string;
  severity: AlarmSeverity;
}

export interface MachineProfile {
  /** Length of one uninterrupted production run. */
  running: Range;
  idle: Range;
  setup: Range;
  /** Time from alarm raised to cleared. */
  alarm: Range;
  offline: Range;
  /** One cycle (a sheet, a hit sequence, a bend set, a weldment). */
  cycleTime: Range;
  partsPerCycle: Range;
  /** After a run ends: chance the run ended in an alarm, in a changeover, or with the machine going offline. */
  alarmChance: number;
  setupChance: number;
  offlineChance: number;
  alarms: readonly AlarmSpec[];
  programs: readonly string[];
}

const minutes = (a: number, b: number): Range => [a * 60, b * 60];

export const MACHINE_PROFILES: Readonly<Record<MachineKind, MachineProfile>> = {
  laser: {
    running: minutes(20, 90),
    idle: minutes(2, 15),
    setup: minutes(15, 30),
    alarm: minutes(2, 12),
    offline: minutes(5, 30),
    cycleTime: [180, 900],
    partsPerCycle: [4, 40],
    alarmChance: 0.12,
    setupChance: 0.3,
    offlineChance: 0.02,
    alarms: [
      { code: 'L-101', message: 'Nozzle collision detected', severity: 'fault' },
      { code: 'L-214', message: 'Assist gas pressure low', severity: 'fault' },
      { code: 'L-305', message: 'Protective window contaminated', severity: 'warning' },
      { code: 'L-410', message: 'Pallet changer not in position', severity: 'fault' },
    ],
    programs: ['NEST-SS304-16GA-0412', 'NEST-SS304-14GA-0198', 'NEST-CRS-16GA-0777', 'NEST-GALV-18GA-0051'],
  },
  punch: {
    running: minutes(15, 75),
    idle: minutes(2, 20),
    setup: minutes(10, 25),
    alarm: minutes(2, 10),
    offline: minutes(5, 30),
    cycleTime: [90, 420],
    partsPerCycle: [2, 16],
    alarmChance: 0.1,
    setupChance: 0.25,
    offlineChance: 0.02,
    alarms: [
      { code: 'P-021', message: 'Tool not in turret station', severity: 'fault' },
      { code: 'P-118', message: 'Sheet clamp slip', severity: 'fault' },
      { code: 'P-240', message: 'Lubrication level low', severity: 'warning' },
    ],
    programs: ['DOOR-SKIN-3070', 'FRAME-JAMB-84', 'HOOD-PANEL-48', 'SHELF-STD-36'],
  },
  press_brake: {
    running: minutes(10, 60),
    idle: minutes(3, 20),
    setup: minutes(8, 25),
    alarm: minutes(1, 8),
    offline: minutes(5, 25),
    cycleTime: [20, 120],
    partsPerCycle: [1, 1],
    alarmChance: 0.08,
    setupChance: 0.35,
    offlineChance: 0.015,
    alarms: [
      { code: 'B-007', message: 'Light curtain interrupted', severity: 'warning' },
      { code: 'B-052', message: 'Back gauge axis following error', severity: 'fault' },
      { code: 'B-090', message: 'Hydraulic oil temperature high', severity: 'fault' },
    ],
    programs: ['BEND-FRAME-HEAD', 'BEND-DOOR-EDGE', 'BEND-SHELF-LIP', 'BEND-HOOD-SIDE'],
  },
  weld: {
    running: minutes(10, 50),
    idle: minutes(5, 30),
    setup: minutes(10, 30),
    alarm: minutes(2, 10),
    offline: minutes(10, 40),
    cycleTime: [240, 1500],
    partsPerCycle: [1, 1],
    alarmChance: 0.07,
    setupChance: 0.2,
    offlineChance: 0.02,
    alarms: [
      { code: 'W-117', message: 'Wire feed stalled', severity: 'fault' },
      { code: 'W-204', message: 'Shielding gas flow low', severity: 'warning' },
      { code: 'W-330', message: 'Torch overtemperature', severity: 'fault' },
    ],
    programs: ['FIX-SINK-BOWL', 'FIX-DOOR-FRAME', 'FIX-HOOD-SHELL', 'FIX-TABLE-LEG'],
  },
  polish: {
    running: minutes(10, 45),
    idle: minutes(5, 25),
    setup: minutes(5, 15),
    alarm: minutes(1, 6),
    offline: minutes(10, 40),
    cycleTime: [120, 900],
    partsPerCycle: [1, 2],
    alarmChance: 0.05,
    setupChance: 0.2,
    offlineChance: 0.02,
    alarms: [
      { code: 'G-012', message: 'Belt tracking fault', severity: 'fault' },
      { code: 'G-045', message: 'Dust extraction airflow low', severity: 'warning' },
    ],
    programs: ['GRIT-NO4', 'GRIT-180', 'GRIT-320-MIRROR'],
  },
  assembly: {
    running: minutes(15, 60),
    idle: minutes(5, 30),
    setup: minutes(2, 8),
    alarm: minutes(1, 5),
    offline: minutes(10, 30),
    cycleTime: [300, 1800],
    partsPerCycle: [1, 1],
    alarmChance: 0.03,
    setupChance: 0.15,
    offlineChance: 0.01,
    alarms: [
      { code: 'A-003', message: 'Torque tool out of calibration', severity: 'warning' },
      { code: 'A-019', message: 'Missing hardware kit', severity: 'fault' },
    ],
    programs: ['KIT-DOOR-3070', 'KIT-HOOD-48', 'KIT-SHELVING-5T', 'KIT-SINK-2B'],
  },
};
