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
