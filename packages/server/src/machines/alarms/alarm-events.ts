import type { EventChannels } from '../../platform/event-channels.js';
import type { ChannelAccess } from '../../platform/http/websocket.js';
import type { AlarmRecord } from './alarm-records.js';
import type { ReplanReason } from './tables.js';

declare module '../../platform/events.js' {
  interface KerfEvents {
    'alarm.raised': { alarm: AlarmRecord };
    'alarm.acknowledged': { alarm: AlarmRecord };
    'alarm.cleared': { alarm: AlarmRecord };
    'planning.replan-suggested': {
      suggestionId: string;
      workCenterId: string;
      machineId: string | null;
      reason: ReplanReason;
      /** when the machine went down or came back */
      since: string;
    };
  }
}

export const alarmEventChannels: EventChannels<
  'alarm.raised' | 'alarm.acknowledged' | 'alarm.cleared' | 'planning.replan-suggested'
> = {
  'alarm.raised': 'alarms',
  'alarm.acknowledged': 'alarms',
  'alarm.cleared': 'alarms',
  'planning.replan-suggested': 'schedule',
};

export const alarmChannelAccess: ChannelAccess = { fixed: { alarms: 'machine:view' }, prefixed: [] };
