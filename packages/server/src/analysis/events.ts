import type { EventChannels } from '../platform/event-channels.js';
import type { Conflict } from './conflicts/types.js';

declare module '../platform/events.js' {
  interface KerfEvents {
    /** live only: derived from the schedule by conflict-watch.ts, which recomputes after a restart */
    'conflict.appeared': { conflict: Conflict };
    'conflict.cleared': { kind: string; slotIds: string[]; explanation: string };
  }
}

export const analysisEventChannels: EventChannels<'conflict.appeared' | 'conflict.cleared'> = {
  'conflict.appeared': 'schedule',
  'conflict.cleared': 'schedule',
};
