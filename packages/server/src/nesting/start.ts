import type { Db } from '../platform/db.js';
import { loadNestingConfig, type NestingConfig } from './config.js';
import { fileSource } from './files/inbound-files.js';
import { fileTarget } from './files/outbound-files.js';
import { simTransSource } from './inbound-sync.js';
import { mssqlSimTransDb } from './mssql-db.js';
import { simTransTarget } from './outbound-sync.js';
import { createNestingSync, setActiveNestingSync } from './sync-worker.js';

/** Starts the sync worker for KERF_NESTING_MODE (main.ts); undefined when nesting is off. */
export async function startNestingSync(
  db: Db,
  log: (msg: string) => void,
  config: NestingConfig = loadNestingConfig(),
): Promise<{ stop: () => Promise<void> } | undefined> {
  if (config.mode === 'off') return undefined;
  const onError = (err: unknown) => log(`nesting sync: ${err instanceof Error ? err.message : String(err)}`);
  if (config.mode === 'files') {
    const sync = createNestingSync(db, config, fileTarget(config.outboxDir!), fileSource(config.inboxDir!), {
      onError,
    });
    setActiveNestingSync(sync);
    sync.start();
    log(`nesting: file exchange, out ${config.outboxDir}, in ${config.inboxDir}, every ${config.pollSeconds} s`);
    return {
      stop: async () => {
        setActiveNestingSync(undefined);
        await sync.stop();
      },
    };
  }
  const sim = await mssqlSimTransDb(config.sqlServer!);
  const sync = createNestingSync(db, config, simTransTarget(sim, config.district), simTransSource(sim), { onError });
  setActiveNestingSync(sync);
  sync.start();
  log(
    `nesting: SimTrans at ${config.sqlServer!.host}:${config.sqlServer!.port}/${config.sqlServer!.database}, district ${config.district}, every ${config.pollSeconds} s`,
  );
  return {
    stop: async () => {
      setActiveNestingSync(undefined);
      await sync.stop();
      await sim.close();
    },
  };
}
