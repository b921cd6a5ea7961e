import type { AccessGate } from '../platform/http/route-access.js';
import type { Authenticator } from './authenticate.js';
import { isPermission } from './permissions.js';

/** The access gate's questions, answered by the auth module: who a token is, what it may do. */
export function accessGate(authenticator: Authenticator): AccessGate {
  return {
    authenticate: (token) => authenticator.authenticate(token),
    holds: (actor, permission) => isPermission(permission) && actor.permissions.has(permission),
    isPermission,
  };
}
