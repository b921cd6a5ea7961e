import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where PostgreSQL's server programs (initdb, pg_ctl) are, for tests that run a private cluster.
 * Debian keeps them off PATH (under the version's lib folder), so `pg_config --bindir` is asked
 * first; KERF_PG_BINDIR overrides both. Returns null when neither finds initdb.
 */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates: string[] = [];
  if (env.KERF_PG_BINDIR) candidates.push(env.KERF_PG_BINDIR);
  try {
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
  } catch {
    // no pg_config: fall through to PATH
  }
  candidates.push(...(env.PATH ?? '').split(delimiter).filter(Boolean));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

/**
 * A prerequisite a test needs: missing is a skip on a developer's machine, and a failure under
 * CI=true, where a silent skip would hide that the test never ran.
 */
export function requirePrerequisite(found: boolean, what: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!found && env.CI) throw new Error(`CI=true requires ${what}`);
  return found;
}
