import type { Config, KerfRole } from '../platform/config.js';

/** Whether this process runs a role of KERF_ROLES (all three by default). */
export function hasRole(config: Config, role: KerfRole): boolean {
  return config.roles.has(role);
}
