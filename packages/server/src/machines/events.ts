import type { EventChannels } from '../platform/event-channels.js';
import type { ChannelAccess } from '../platform/http/websocket.js';
import type { MachineAlarmEvent, MachineStatusEvent } from './status-types.js';

declare module '../platform/events.js' {
  interface KerfEvents {
    /** live only: the machine_events rows behind it are the durable record */
    'machine.status': MachineStatusEvent;
    'machine.alarm': MachineAlarmEvent;
  }
}

// Machine events also go to `machines:{departmentId}` and `machine:{code}`, so a board or a tile
// subscribes to just what it shows.
const perMachine = (event: { machineId: string; departmentId: string }) => [
  `machine:${event.machineId}`,
  `machines:${event.departmentId}`,
  'machines',
];

export const machineEventChannels: EventChannels<'machine.status' | 'machine.alarm'> = {
  'machine.status': perMachine,
  'machine.alarm': perMachine,
};

export const machineChannelAccess: ChannelAccess = {
  fixed: { machines: 'machine:view' },
  prefixed: [
    { prefix: 'machines:', permission: 'machine:view' },
    { prefix: 'machine:', permission: 'machine:view' },
  ],
};
