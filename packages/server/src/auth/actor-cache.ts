import type { Actor } from './actor.js';

/**
 * Recently authenticated tokens, so a burst of API calls does not read the session table on
 * every request. Entries live 10 s: logout, revocation, a disabled user or a changed role clear
 * this process's cache at once; another replica sees such a change within the TTL.
 */
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export interface Credential {
  actor: Actor;
  /** when the session or API key expires (ms since the epoch; Infinity: never) */
  expiresAt: number;
}

const cache = new Map<string, Credential & { until: number }>();

export function cachedCredential(tokenHash: string, now = Date.now()): Credential | undefined {
  const hit = cache.get(tokenHash);
  if (!hit) return undefined;
  if (hit.until <= now) {
    cache.delete(tokenHash);
    return undefined;
  }
  return hit;
}

export function rememberCredential(tokenHash: string, credential: Credential, now = Date.now()): void {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(tokenHash, { ...credential, until: Math.min(now + TTL_MS, credential.expiresAt) });
}

export function forgetActors(): void {
  cache.clear();
}
