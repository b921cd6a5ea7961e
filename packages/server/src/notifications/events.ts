import type { EventChannels } from '../platform/event-channels.js';
import type { ChannelAccess } from '../platform/http/websocket.js';
import type { Notification } from './service.js';

declare module '../platform/events.js' {
  interface KerfEvents {
    /** delivered on `notifications` only to the users it is addressed to (visibility.ts) */
    'notification.created': { notification: Notification };
  }
}

export const notificationEventChannels: EventChannels<'notification.created'> = {
  'notification.created': 'notifications',
};

// Per user: each socket receives only the notifications addressed to its user or role.
export const notificationChannelAccess: ChannelAccess = { fixed: { notifications: 'schedule:view' }, prefixed: [] };
