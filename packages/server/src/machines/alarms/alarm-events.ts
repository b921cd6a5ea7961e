import type { Notification } from '../../notifications/service.js';
import type { AlarmRecord } from './alarm-records.js';
import type { ReplanReason } from './tables.js';

/** Events of alarms, notifications and replanning (channels in platform/events.ts CHANNEL_OF). */
export type AlarmKerfEvent =
  | { type: 'alarm.raised'; alarm: AlarmRecord }
  | { type: 'alarm.acknowledged'; alarm: AlarmRecord }
  | { type: 'alarm.cleared'; alarm: AlarmRecord }
  /** delivered on `notifications` only to the users it is addressed to */
  | { type: 'notification.created'; notification: Notification }
  | {
      type: 'planning.replan-suggested';
      suggestionId: string;
      workCenterId: string;
      machineId: string | null;
      reason: ReplanReason;
      /** when the machine went down or came back */
      since: string;
    };
