import type { Permission, Role } from './permissions.js';

/** Who is acting: a logged-in user, an integration's API key, or Kerf itself. */
export interface Actor {
  type: 'user' | 'api_key' | 'system';
  id: string;
  name: string;
  role?: Role;
  permissions: ReadonlySet<Permission>;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system', name: 'kerf', permissions: new Set() };

// The request's actor, as the access gate (platform/http/route-access.ts) stores it, is an Actor.
declare module '../platform/http/route-access.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the supertype
  interface RequestActor extends Actor {}
}
