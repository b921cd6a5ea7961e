import type { Actor } from './actor.js';

/**
 * Recently authenticated tokens, so a burst of API calls does not read the session table on
 * every request. Entries live 10 s; a logout, a revoked key, a disabled user or a changed role
 * clears the cache of every instance through the `auth.credentials-changed` event
 * (credential-changes.ts). One per process, built by the composition root.
 */
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export interface Credential {
  actor: Actor;
  /** when the session or API key expires (ms since the epoch; Infinity: never) */
  expiresAt: number;
}

export class ActorCache {
  private readonly entries = new Map<string, Credential & { until: number }>();

  get(tokenHash: string, now = Date.now()): Credential | undefined {
    const hit = this.entries.get(tokenHash);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return hit;
  }

  remember(tokenHash: string, credential: Credential, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenHash, { ...credential, until: Math.min(now + TTL_MS, credential.expiresAt) });
  }

  clear(): void {
    this.entries.clear();
  }
}
