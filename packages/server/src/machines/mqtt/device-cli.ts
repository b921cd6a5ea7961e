import { parseArgs } from 'node:util';
import type { Actor } from '../../auth/actor.js';
import type { Database } from '../../platform/db.js';

/** What the CLI opened: the migrated database. */
interface Booted {
  database: Database;
}
import { loadConfig, type Config } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';
import { createDevice, listDevices, revokeDevice, rotateDevice, type DeviceView } from './device-service.js';

/** `kerf device ...`: the same device credentials as the API and the admin screen. */

export const DEVICE_USAGE = `  device add --username NAME (--topic PREFIX ... | --machine CODE)
        create an MQTT login for the embedded broker and print its generated password (shown
        once); --topic may repeat (e.g. shopfloor/weld/WELD-01/), --machine grants that machine's topics
  device list
        the devices, their topic prefixes and machines (never a password)
  device rotate NAME|ID
        replace a device's password and print the new one (shown once)
  device revoke NAME|ID
        delete a device's login; a running Kerf closes its connections within 5 seconds`;

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const CLI_ACTOR: Actor = { type: 'system', id: 'cli', name: 'kerf device (command line)', permissions: new Set() };

/** A mistake on the command line or a refused input: exit 2 with what to fix. */
class Refused extends Error {}

/**
 * Runs `kerf device <sub> ...`; `open` boots the configured database (and reports migrations and
 * a new admin's password, as every command does). Returns the exit code.
 */
export async function deviceCommand(
  args: string[],
  io: Io,
  open: (config: Config) => Promise<Booted>,
): Promise<number> {
  try {
    const [sub, ...rest] = args;
    const run = SUBCOMMANDS[sub ?? ''];
    if (!run) {
      throw new Refused(
        `device: ${sub === undefined ? 'say what to do' : `unknown subcommand "${sub}"`}: add, list, rotate or revoke (see "kerf help")`,
      );
    }
    const parsed = parse(sub!, rest);
    const config = loadConfig(io.env);
    const booted = await open(config);
    try {
      return await run(parsed, { ...booted, config, io });
    } finally {
      await booted.database.close();
    }
  } catch (err) {
    if (err instanceof Refused) {
      io.stderr(`kerf: ${err.message}\n`);
      return 2;
    }
    // Bad input, a duplicate or an unknown device: the message names what to fix.
    if (err instanceof AppError && ['validation', 'conflict', 'not_found'].includes(err.kind)) {
      io.stderr(`kerf: device: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

interface Parsed {
  values: { username?: string; topic?: string[]; machine?: string };
  positionals: string[];
}

interface Env extends Booted {
  config: Config;
  io: Io;
}

const FLAGS = {
  add: { username: { type: 'string' }, topic: { type: 'string', multiple: true }, machine: { type: 'string' } },
  list: {},
  rotate: {},
  revoke: {},
} as const;

function parse(sub: string, args: string[]): Parsed {
  const options = FLAGS[sub as keyof typeof FLAGS];
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: sub === 'rotate' || sub === 'revoke',
    }) as Parsed;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Refused(`device ${sub}: ${msg}; see "kerf help"`);
  }
  if ((sub === 'rotate' || sub === 'revoke') && parsed.positionals.length !== 1) {
    throw new Refused(`device ${sub}: name one device by its user name or id, e.g. "kerf device ${sub} press-gw-1"`);
  }
  if (sub === 'add') {
    if (!parsed.values.username) throw new Refused('device add: --username is required (the MQTT user name)');
    if (!parsed.values.topic?.length && !parsed.values.machine) {
      throw new Refused('device add: give --topic PREFIX (e.g. shopfloor/weld/WELD-01/) or --machine CODE');
    }
  }
  return parsed;
}

const brokerUrl = (config: Config) =>
  config.mqttUrl
    ? null
    : `mqtt://${config.mqttHost === '0.0.0.0' ? '<this host>' : config.mqttHost}:${config.mqttPort}`;

function printSecret(env: Env, device: DeviceView, password: string, verb: string): void {
  const { io, config } = env;
  io.stdout(
    `kerf: ${verb} MQTT device "${device.username}" (id ${device.id}), topics ${device.allowedTopics.join(', ')}\n`,
  );
  io.stdout(`kerf: password ${password}  (shown once; Kerf keeps only its hash)\n`);
  const url = brokerUrl(config);
  if (url) io.stdout(`kerf: the device logs in to ${url} with this user name and password\n`);
  else io.stdout('kerf: MQTT_URL is set: these credentials are for the embedded broker, which is not used\n');
}

const SUBCOMMANDS: Record<string, (p: Parsed, env: Env) => Promise<number>> = {
  add: async ({ values }, env) => {
    const { device, password } = await createDevice(env.database.db, CLI_ACTOR, {
      username: values.username!,
      ...(values.topic?.length ? { allowedTopics: values.topic } : {}),
      ...(values.machine ? { machineId: values.machine } : {}),
    });
    printSecret(env, device, password, 'created');
    return 0;
  },
  list: async (_p, { database, io }) => {
    const devices = await listDevices(database.db);
    if (devices.length === 0) io.stdout('kerf: no MQTT devices yet ("kerf device add --help" in "kerf help")\n');
    for (const d of devices) {
      const machine = d.machineCode ? `  machine ${d.machineCode}` : '';
      io.stdout(`${d.username}  ${d.id}  ${d.allowedTopics.join(',')}${machine}${d.enabled ? '' : '  (disabled)'}\n`);
    }
    return 0;
  },
  rotate: async ({ positionals }, env) => {
    const { device, password } = await rotateDevice(env.database.db, CLI_ACTOR, positionals[0]!);
    printSecret(env, device, password, 'rotated');
    env.io.stdout('kerf: a running Kerf closes connections made with the old password within 5 seconds\n');
    return 0;
  },
  revoke: async ({ positionals }, { database, io }) => {
    const device = await revokeDevice(database.db, CLI_ACTOR, positionals[0]!);
    io.stdout(
      `kerf: revoked MQTT device "${device.username}"; a running Kerf closes its connections within 5 seconds\n`,
    );
    return 0;
  },
};
