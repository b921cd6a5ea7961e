import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import type { ActorCache } from './actor-cache.js';

/**
 * Tells every Kerf instance that some credential may no longer be what it was: a logout, a
 * revoked API key, a disabled user or a changed role. The command records an
 * `auth.credentials-changed` event in its transaction; each instance, when the event arrives
 * (after commit), clears its actor cache and its listeners (open WebSockets, session-watch.ts)
 * re-check theirs. This instance's cache is also cleared at once, so the caller's next request
 * does not wait for the delivery.
 */
export class CredentialChanges {
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly events: EventBus,
    private readonly cache: ActorCache,
  ) {
    this.unsubscribe = events.subscribe((event) => {
      if (event.type !== 'auth.credentials-changed') return;
      this.cache.clear();
      for (const listener of this.listeners) listener();
    });
  }

  /** Call inside the transaction that changes a credential. */
  async record(tx: Db, reason: string): Promise<void> {
    await this.events.record(tx, { type: 'auth.credentials-changed', reason });
    this.cache.clear();
  }

  onChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
