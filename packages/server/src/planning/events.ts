import type { EventChannels } from '../platform/event-channels.js';
import type { ChannelAccess } from '../platform/http/websocket.js';

declare module '../platform/events.js' {
  interface KerfEvents {
    /** live only: the plan run's row holds its progress */
    'plan-run.progress': { runId: string; elapsedMs: number; bestObjective: number };
    'plan-run.finished': { runId: string; status: string; planId: string | null };
    'plan.published': { planId: string; slots: number };
    'slot.changed': { slotId: string; action: string };
  }
}

export const planningEventChannels: EventChannels<
  'plan-run.progress' | 'plan-run.finished' | 'plan.published' | 'slot.changed'
> = {
  'plan-run.progress': 'plan-runs',
  'plan-run.finished': 'plan-runs',
  'plan.published': 'schedule',
  'slot.changed': 'schedule',
};

export const planningChannelAccess: ChannelAccess = {
  fixed: { 'plan-runs': 'schedule:view', schedule: 'schedule:view' },
  prefixed: [],
};
