import type { Actor } from './actor.js';
import type { Authenticator } from './authenticate.js';
import type { CredentialChanges } from './credential-changes.js';

/**
 * Long-lived connections (WebSockets) authenticate once, at the upgrade; this keeps checking
 * their credential afterwards and ends the connection when it stops being good:
 * - when any instance logs a session out, revokes a key, disables a user or changes a role
 *   (the `auth.credentials-changed` event, credential-changes.ts),
 * - at the moment the session or key expires,
 * - and every `recheckMs`, in case an event could not reach this instance (several instances
 *   without REDIS_URL).
 */

/** Close codes in the application range (4000-4999), named after their HTTP cousins. */
export const SESSION_ENDED = {
  code: 4401,
  reason: 'session ended (logged out, revoked, disabled or expired); log in again',
};
export const PERMISSIONS_CHANGED = { code: 4403, reason: 'your role or scopes changed; reconnect' };

export interface WatchedConnection {
  token: string;
  actor: Actor;
  expiresAt: number;
  end: (code: number, reason: string) => void;
}

// setTimeout takes at most 2^31-1 ms (about 24.8 days); a later expiry re-arms the timer then.
const MAX_TIMER_MS = 2 ** 31 - 1;

const samePermissions = (a: Actor, b: Actor) =>
  a.permissions.size === b.permissions.size && [...a.permissions].every((p) => b.permissions.has(p));

export function sessionWatch(
  authenticator: Authenticator,
  changes: CredentialChanges,
  options: { recheckMs?: number } = {},
) {
  const open = new Set<WatchedConnection>();
  const timers = new Map<WatchedConnection, NodeJS.Timeout>();

  function end(conn: WatchedConnection, how: { code: number; reason: string }): void {
    forget(conn);
    conn.end(how.code, how.reason);
  }

  function forget(conn: WatchedConnection): void {
    open.delete(conn);
    clearTimeout(timers.get(conn));
    timers.delete(conn);
  }

  function armExpiry(conn: WatchedConnection): void {
    if (!Number.isFinite(conn.expiresAt)) return;
    const wait = conn.expiresAt - Date.now();
    if (wait <= 0) return end(conn, SESSION_ENDED);
    const timer = setTimeout(
      () => (wait > MAX_TIMER_MS ? armExpiry(conn) : end(conn, SESSION_ENDED)),
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
    timers.set(conn, timer);
  }

  async function recheck(): Promise<void> {
    // one look-up per token, however many sockets share it
    const byToken = new Map<string, WatchedConnection[]>();
    for (const conn of open) byToken.set(conn.token, [...(byToken.get(conn.token) ?? []), conn]);
    await Promise.all(
      [...byToken].map(async ([token, conns]) => {
        let now;
        try {
          now = await authenticator.credential(token);
        } catch {
          return; // the database is unreachable: keep the sockets, look again next time
        }
        for (const conn of conns) {
          if (!open.has(conn)) continue;
          if (!now) end(conn, SESSION_ENDED);
          else if (!samePermissions(conn.actor, now.actor)) end(conn, PERMISSIONS_CHANGED);
        }
      }),
    );
  }

  let running: Promise<void> = Promise.resolve();
  const recheckSoon = () => {
    running = running.then(recheck);
  };
  const unsubscribe = changes.onChanged(recheckSoon);
  const interval = setInterval(recheckSoon, options.recheckMs ?? 30_000);
  interval.unref();

  return {
    /** Watches a connection; call the returned function when it closes. */
    watch(conn: WatchedConnection): () => void {
      open.add(conn);
      armExpiry(conn);
      return () => forget(conn);
    },
    /** Waits for a re-check in flight (tests). */
    settled: () => running,
    stop(): void {
      unsubscribe();
      clearInterval(interval);
      for (const conn of open) forget(conn);
    },
  };
}
