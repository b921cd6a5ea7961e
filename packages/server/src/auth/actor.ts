import type { Permission, Role } from './permissions.js';

/**
 * Who is acting: a logged-in user, an integration's API key, a shared floor tablet (its device
 * token), or Kerf itself. A user signed in on a station carries the station's id too, so every
 * floor transaction records the person and the device.
 */
export interface Actor {
  type: 'user' | 'api_key' | 'station' | 'system';
  id: string;
  name: string;
  role?: Role;
  permissions: ReadonlySet<Permission>;
  /** the station a user signed in on, or the station itself */
  stationId?: string;
  /** the work centers of that station */
  workCenterIds?: readonly string[];
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system', name: 'kerf', permissions: new Set() };

// The request's actor, as the access gate (platform/http/route-access.ts) stores it, is an Actor.
declare module '../platform/http/route-access.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the supertype
  interface RequestActor extends Actor {}
}
