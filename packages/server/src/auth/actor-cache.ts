import type { Actor } from './actor.js';

/**
 * Recently authenticated tokens, so a burst of API calls does not read the session table on
 * every request. Entries live 10 s: logout, revocation, a disabled user or a changed role clear
 * this process's cache at once; another replica sees such a change within the TTL.
 */
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { actor: Actor; until: number }>();

export function cachedActor(tokenHash: string, now = Date.now()): Actor | undefined {
  const hit = cache.get(tokenHash);
  if (!hit) return undefined;
  if (hit.until <= now) {
    cache.delete(tokenHash);
    return undefined;
  }
  return hit.actor;
}

export function rememberActor(tokenHash: string, actor: Actor, expiresAt: number, now = Date.now()): void {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(tokenHash, { actor, until: Math.min(now + TTL_MS, expiresAt) });
}

export function forgetActors(): void {
  cache.clear();
}
