import type { EventChannels } from '../platform/event-channels.js';

declare module '../platform/events.js' {
  interface KerfEvents {
    /**
     * A logout, a revoked API key, a disabled user or a changed role: every instance drops its
     * cached actors and re-checks its open WebSockets (credential-changes.ts).
     */
    'auth.credentials-changed': { reason: string };
  }
}

export const authEventChannels: EventChannels<'auth.credentials-changed'> = {
  'auth.credentials-changed': null,
};
