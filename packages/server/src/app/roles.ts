import type { Config } from '../platform/config.js';

export type KerfRole = 'api' | 'worker' | 'ingest';

/** Whether this process runs a role of KERF_ROLES (all three by default). */
export function hasRole(config: Config, role: KerfRole): boolean {
  const roles = (config as { roles?: ReadonlySet<string> }).roles;
  return roles === undefined || roles.has(role);
}
