/**
 * The four shop roles and the permissions they hold: the twelve shop permissions and user:admin
 * (ADR 0004), the floor's reporting permissions and the station device scope (ADR 0022).
 */

export const PERMISSIONS = [
  'schedule:view',
  'schedule:edit',
  'schedule:approve',
  'job:view',
  'job:create',
  'job:release',
  'machine:view',
  'machine:config',
  'report:view',
  'report:export',
  'ai:trigger',
  'ai:approve',
  // The floor (ADR 0022): operators report what they did; viewing alone is not enough for that.
  'production:report',
  'labor:clock',
  'issue:create',
  // A shared tablet's device token: the station screen and operator sign-in, nothing else.
  'station:use',
  // Not one of the twelve shop permissions: managing users, API keys and reading the audit log.
  // Admin holds "everything", so this permission is held by admin alone (ADR 0004).
  'user:admin',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['operator', 'supervisor', 'production_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  operator: new Set<Permission>([
    'schedule:view',
    'job:view',
    'machine:view',
    'production:report',
    'labor:clock',
    'issue:create',
  ]),
  supervisor: new Set<Permission>([
    'schedule:view',
    'schedule:edit',
    'job:view',
    'job:create',
    'machine:view',
    'report:view',
    'ai:trigger',
    'production:report',
    'labor:clock',
    'issue:create',
  ]),
  production_manager: new Set<Permission>([
    'schedule:view',
    'schedule:edit',
    'schedule:approve',
    'job:view',
    'job:create',
    'job:release',
    'machine:view',
    'machine:config',
    'report:view',
    'report:export',
    'ai:trigger',
    'ai:approve',
    'production:report',
    'labor:clock',
    'issue:create',
  ]),
  // everything but the device scope, which only a station's token carries
  admin: new Set<Permission>(PERMISSIONS.filter((p) => p !== 'station:use')),
};

// The access gate in the base layer checks routes against these names.
declare module '../platform/http/route-access.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the supertype
  interface DeclaredPermissions extends Record<Permission, true> {}
}

/** What a route requires: a permission, or 'public' for health, login and docs. */
export type RouteAccess = Permission | 'public';

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
