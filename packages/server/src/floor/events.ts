import type { EventChannels } from '../platform/event-channels.js';
import type { ChannelAccess } from '../platform/http/websocket.js';

// The floor's durable events, recorded in the transaction that applies a floor transaction.
declare module '../platform/events.js' {
  interface KerfEvents {
    /** an operation was started, paused, resumed, counted or finished on the floor */
    'floor.operation-changed': { operationId: string; status: string; action: string; employeeId: string };
    /** someone clocked in or out (or was clocked out at shift end) */
    'floor.attendance-changed': { employeeId: string; clockedIn: boolean };
    /** a problem was reported from the floor (ADR 0024); its notification goes out beside it */
    'floor.issue-reported': {
      issueId: string;
      kind: string;
      status: string;
      workCenterId: string;
      machineId: string | null;
      reasonCode: string;
    };
    /** a supervisor acknowledged or closed a reported issue */
    'floor.issue-changed': { issueId: string; kind: string; status: string; workCenterId: string };
  }
}

export const floorEventChannels: EventChannels<
  'floor.operation-changed' | 'floor.attendance-changed' | 'floor.issue-reported' | 'floor.issue-changed'
> = {
  'floor.operation-changed': 'floor',
  'floor.attendance-changed': 'floor',
  'floor.issue-reported': 'floor',
  'floor.issue-changed': 'floor',
};

export const floorChannelAccess: ChannelAccess = { fixed: { floor: 'schedule:view' }, prefixed: [] };
