import { parseArgs } from 'node:util';
import type { CliIo } from '../platform/cli-io.js';
import { loadConfig, type Config } from '../platform/config.js';
import type { Database } from '../platform/db.js';
import { EventBus } from '../platform/events.js';
import { ActorCache } from './actor-cache.js';
import { CredentialChanges } from './credential-changes.js';
import { resetAdmin } from './admin-reset.js';
import { generatePassword, passwordProblem } from './password-policy.js';

export const ADMIN_USAGE = `  admin reset [--username NAME]
        make NAME (default admin) an enabled admin again with a new password, printed once, or
        the one in KERF_ADMIN_PASSWORD; logs out its sessions. The way back in when the last
        admin was disabled or demoted, or its password is lost`;

/** `kerf admin reset`: exit 0 done, 2 bad usage, unknown user or refused password, 1 failed. */
export async function adminCommand(
  args: string[],
  io: CliIo,
  open: (config: Config) => Promise<{ database: Database }>,
): Promise<number> {
  const refuse = (message: string) => {
    io.stderr(`kerf: ${message}\n`);
    return 2;
  };
  const [sub, ...rest] = args;
  if (sub === undefined) return refuse('admin: expected a subcommand: kerf admin reset [--username NAME]');
  if (sub !== 'reset') return refuse(`unknown admin subcommand "${sub}"; the one there is: reset`);
  let username: string;
  try {
    const flags = parseArgs({ args: rest, options: { username: { type: 'string' } }, strict: true }).values;
    username = flags.username ?? 'admin';
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return refuse(`admin reset: ${msg}; see "kerf help"`);
  }
  if (!username.trim()) return refuse('admin reset: --username needs a user name');
  const config = loadConfig(io.env);
  const configured = config.adminPassword;
  // refused before the database is even opened, so a bad choice changes nothing
  const problem = configured !== undefined ? passwordProblem(configured, username) : undefined;
  if (problem) return refuse(`KERF_ADMIN_PASSWORD: password: ${problem}`);
  const password = configured ?? generatePassword(username);
  const { database } = await open(config);
  try {
    const user = await resetAdmin(
      database.db,
      new CredentialChanges(new EventBus(), new ActorCache()),
      username,
      password,
    );
    if (!user)
      return refuse(`admin reset: no user "${username}" in ${database.describe}; give --username of an existing user`);
    io.stdout(
      configured
        ? `kerf: user "${user.username}" is an enabled admin again, with the password from KERF_ADMIN_PASSWORD; its sessions were logged out\n`
        : `kerf: user "${user.username}" is an enabled admin again, with the new password ${password}  (shown once); its sessions were logged out\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
