import { readFileSync } from 'node:fs';

/**
 * Reading the file, apart from validating it: kept free of protocol imports so the command line
 * can report a missing or malformed file without loading the protocol clients first.
 */

/** Every problem found, each as "field: what is wrong". */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid edge configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** The parsed JSON of a config file; ConfigError when it cannot be read or is not JSON. */
export function readConfigJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`--config: cannot read ${path}: ${(error as Error).message}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError([`${path}: not valid JSON: ${(error as Error).message}`]);
  }
}
