/**
 * The demo shop's connected machines (work center codes as in packages/server/src/demo/floor.ts)
 * with the protocol each one reports through (DOMAIN.md: MTConnect for lasers, OPC UA for punches
 * and brakes, MQTT for weld/polish/assembly, some of those as Sparkplug B edge nodes). Ordered so the
 * first N cover every department and protocol early.
 */
import type { MachineSpec } from './machine-model.js';

export type SimProtocol = 'mtconnect' | 'opcua' | 'mqtt' | 'sparkplug';

export interface SimMachine extends MachineSpec {
  protocol: SimProtocol;
}

const m = (machineId: string, department: string, kind: MachineSpec['kind'], protocol: SimProtocol): SimMachine => ({
  machineId,
  department,
  kind,
  protocol,
});

export const DEMO_MACHINES: readonly SimMachine[] = [
  m('LASER-01', 'laser', 'laser', 'mtconnect'),
  m('PUNCH-01', 'punch', 'punch', 'opcua'),
  m('BRAKE-01', 'form', 'press_brake', 'opcua'),
  m('WELD-01', 'weld', 'weld', 'mqtt'),
  m('POLISH-01', 'polish', 'polish', 'mqtt'),
  m('ASSY-01', 'assembly', 'assembly', 'mqtt'),
  m('ROBOT-WELD-01', 'weld', 'weld', 'sparkplug'),
  m('DEBURR-01', 'polish', 'polish', 'sparkplug'),
  m('LASER-02', 'laser', 'laser', 'mtconnect'),
  m('PUNCH-02', 'punch', 'punch', 'opcua'),
  m('BRAKE-02', 'form', 'press_brake', 'opcua'),
  m('WELD-02', 'weld', 'weld', 'mqtt'),
  m('POLISH-02', 'polish', 'polish', 'mqtt'),
  m('ASSY-02', 'assembly', 'assembly', 'mqtt'),
  m('LASER-03', 'laser', 'laser', 'mtconnect'),
  m('BRAKE-03', 'form', 'press_brake', 'opcua'),
  m('WELD-03', 'weld', 'weld', 'mqtt'),
  m('POLISH-03', 'polish', 'polish', 'mqtt'),
  m('ASSY-03', 'assembly', 'assembly', 'sparkplug'),
  m('WELD-04', 'weld', 'weld', 'mqtt'),
  m('POLISH-04', 'polish', 'polish', 'mqtt'),
  m('ASSY-04', 'assembly', 'assembly', 'mqtt'),
  m('WELD-05', 'weld', 'weld', 'sparkplug'),
  m('WELD-06', 'weld', 'weld', 'mqtt'),
];

/**
 * The first `count` demo machines; past the 24 real ones, extra stations are numbered on
 * (WELD-07, POLISH-05, ...) cycling through the weld/polish/assembly MQTT kinds, for load tests.
 */
export function demoMachines(count: number): SimMachine[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`machines: must be a whole number >= 1, got ${count}`);
  const out = DEMO_MACHINES.slice(0, count).map((machine) => ({ ...machine }));
  const extra: [string, string, MachineSpec['kind']][] = [
    ['WELD', 'weld', 'weld'],
    ['POLISH', 'polish', 'polish'],
    ['ASSY', 'assembly', 'assembly'],
  ];
  const next = { WELD: 7, POLISH: 5, ASSY: 5 } as Record<string, number>;
  for (let i = 0; out.length < count; i += 1) {
    const [prefix, department, kind] = extra[i % extra.length] as [string, string, MachineSpec['kind']];
    const n = next[prefix] ?? 1;
    next[prefix] = n + 1;
    out.push(m(`${prefix}-${String(n).padStart(2, '0')}`, department, kind, 'mqtt'));
  }
  return out;
}
