import type { EventBus } from '../platform/events.js';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../platform/db.js';
import { loadNestingConfig, type NestingConfig } from './config.js';
import { fileSource } from './files/inbound-files.js';
import { fileTarget } from './files/outbound-files.js';
import { simTransSource } from './inbound-sync.js';
import { SimTransEmulator } from './emulator/emulator.js';
import { mssqlSimTransDb } from './mssql-db.js';
import { pgliteSimTransDb } from './simtrans-db.js';
import { simTransTarget } from './outbound-sync.js';
import { createNestingSync, type NestingSync } from './sync-worker.js';

/** The running sync worker (for `POST /nesting/sync`) and how to stop it. */
export interface StartedNestingSync {
  sync: NestingSync;
  stop: () => Promise<void>;
}

/** Starts the sync worker for KERF_NESTING_MODE (the composition root); undefined when nesting is off. */
export async function startNestingSync(
  db: Db,
  log: (msg: string) => void,
  config: NestingConfig = loadNestingConfig(),
  events?: EventBus,
): Promise<StartedNestingSync | undefined> {
  if (config.mode === 'off') return undefined;
  const onError = (err: unknown) => log(`nesting sync: ${err instanceof Error ? err.message : String(err)}`);
  if (config.mode === 'files') {
    const sync = createNestingSync(db, config, fileTarget(config.outboxDir!), fileSource(config.inboxDir!), {
      onError,
      events,
    });
    sync.start();
    log(`nesting: file exchange, out ${config.outboxDir}, in ${config.inboxDir}, every ${config.pollSeconds} s`);
    return {
      sync,
      stop: async () => {
        await sync.stop();
      },
    };
  }
  if (config.mode === 'emulator') return startEmulated(db, config, log, onError, events);
  const sim = await mssqlSimTransDb(config.sqlServer!);
  const sync = createNestingSync(db, config, simTransTarget(sim, config.district), simTransSource(sim), {
    onError,
    events,
  });
  sync.start();
  log(
    `nesting: SimTrans at ${config.sqlServer!.host}:${config.sqlServer!.port}/${config.sqlServer!.database}, district ${config.district}, every ${config.pollSeconds} s`,
  );
  return {
    sync,
    stop: async () => {
      await sync.stop();
      await sim.close();
    },
  };
}

/**
 * The demo's stand-in for SimTrans and SigmaNEST: the emulator on its own in-memory PGlite applies
 * TransAct rows and nests twice per poll interval, so released jobs come back as nests within a minute.
 */
async function startEmulated(
  db: Db,
  config: NestingConfig,
  log: (msg: string) => void,
  onError: (err: unknown) => void,
  events: EventBus | undefined,
): Promise<StartedNestingSync> {
  const client = await PGlite.create();
  await client.exec("SET TIME ZONE 'UTC'");
  const simDb = pgliteSimTransDb(client);
  const emulator = await SimTransEmulator.create(simDb, { district: config.district, ncDir: config.ncRoots[0] });
  const sync = createNestingSync(
    db,
    config,
    simTransTarget(emulator.connection(), config.district),
    simTransSource(emulator.connection()),
    { onError, events },
  );
  let busy: Promise<void> | undefined;
  const play = () => {
    busy ??= emulator
      .processTransactions()
      .then(() => emulator.nest())
      .then(() => undefined)
      .catch(onError)
      .finally(() => (busy = undefined));
  };
  const timer = setInterval(play, Math.max(1000, (config.pollSeconds * 1000) / 2));
  sync.start();
  log(`nesting: SimTrans emulator (demo), district ${config.district}, every ${config.pollSeconds} s`);
  return {
    sync,
    stop: async () => {
      clearInterval(timer);
      await sync.stop();
      await busy;
      await simDb.close();
    },
  };
}
