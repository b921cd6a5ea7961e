import { analysisEventChannels } from '../analysis/events.js';
import { authEventChannels } from '../auth/events.js';
import { floorChannelAccess, floorEventChannels } from '../floor/events.js';
import { jobEventChannels } from '../jobs/events.js';
import { alarmChannelAccess, alarmEventChannels } from '../machines/alarms/alarm-events.js';
import { machineChannelAccess, machineEventChannels } from '../machines/events.js';
import { notificationChannelAccess, notificationEventChannels } from '../notifications/events.js';
import { planningChannelAccess, planningEventChannels } from '../planning/events.js';
import type { EventChannels } from '../platform/event-channels.js';
import type { ChannelAccess } from '../platform/http/websocket.js';

/**
 * Where every module's events go on the WebSocket. Typed as the full map, so an event a module
 * declares without saying where it goes fails to compile here.
 */
export const EVENT_CHANNELS: EventChannels = {
  ...analysisEventChannels,
  ...authEventChannels,
  ...floorEventChannels,
  ...alarmEventChannels,
  ...jobEventChannels,
  ...machineEventChannels,
  ...notificationEventChannels,
  ...planningEventChannels,
};

/** Every WebSocket channel and the permission it needs; a channel not listed is refused. */
export const CHANNEL_ACCESS: ChannelAccess = [
  planningChannelAccess,
  machineChannelAccess,
  alarmChannelAccess,
  notificationChannelAccess,
  floorChannelAccess,
].reduce<ChannelAccess>(
  (all, one) => ({ fixed: { ...all.fixed, ...one.fixed }, prefixed: [...all.prefixed, ...one.prefixed] }),
  { fixed: {}, prefixed: [] },
);
