#!/usr/bin/env node
import type { EdgeConfig } from './config.js';
import { ConfigError, readConfigJson } from './config-file.js';

const USAGE = 'usage: kerf-edge --config <edge.json>\n  see docs/edge.md for the file format\n';

/** Exit codes: 0 stopped by a signal, 1 runtime failure, 2 bad command line or configuration. */
async function main(argv: string[]): Promise<number> {
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (arg === '--config') configPath = argv[++i];
    else if (arg.startsWith('--config=')) configPath = arg.slice('--config='.length);
    else {
      process.stderr.write(`kerf-edge: unknown argument "${arg}"\n${USAGE}`);
      return 2;
    }
  }
  if (!configPath) {
    process.stderr.write(`kerf-edge: --config is required\n${USAGE}`);
    return 2;
  }
  let config: EdgeConfig;
  try {
    const json = readConfigJson(configPath);
    // Loaded only now: the protocol clients (node-opcua above all) take seconds to import, and a
    // mistyped command line or a missing file should answer at once.
    const { parseConfig } = await import('./config.js');
    config = parseConfig(json);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kerf-edge: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { EdgeGateway } = await import('./gateway.js');
  const { jsonLogger } = await import('./log.js');
  const log = jsonLogger();
  const gateway = await EdgeGateway.start({ config, log });
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      log.info('signal received, stopping', { signal });
      gateway.stop().then(
        () => resolve(0),
        (error: unknown) => {
          log.error('stop failed', { error: String(error) });
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kerf-edge: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
