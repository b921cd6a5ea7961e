/** The four shop roles and the twelve permissions they hold, plus user:admin (ADR 0004). */

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
  // Not one of the twelve shop permissions: managing users, API keys and reading the audit log.
  // Admin holds "everything", so this permission is held by admin alone (ADR 0004).
  'user:admin',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['operator', 'supervisor', 'production_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  operator: new Set<Permission>(['schedule:view', 'job:view', 'machine:view']),
  supervisor: new Set<Permission>([
    'schedule:view',
    'schedule:edit',
    'job:view',
    'job:create',
    'machine:view',
    'report:view',
    'ai:trigger',
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
  ]),
  admin: new Set<Permission>(PERMISSIONS),
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
