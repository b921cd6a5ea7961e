import { forgetActors } from './actor-cache.js';

/**
 * Tells this process that some credential may no longer be what it was: a logout, a revoked API
 * key, a disabled user or a changed role. The actor cache is cleared and listeners (open
 * WebSockets, see session-watch.ts) re-check theirs. Call it after the change has committed, or a
 * re-check running in between would still see, and re-cache, the old state.
 */
const listeners = new Set<() => void>();

export function credentialsChanged(): void {
  forgetActors();
  for (const listener of listeners) listener();
}

export function onCredentialsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
