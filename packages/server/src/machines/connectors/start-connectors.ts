import type { RunningSimulator } from '@kerf/sim';
import type { AppContext } from '../../platform/context.js';
import type { MachinesRuntime } from '../runtime.js';
import { connectorFactories, opcUaConnectorSettings } from './client-factories.js';
import { createConnectorManager, type ConnectorManager } from './connector-manager.js';
import { startDemoSimulator } from './demo-sim.js';

export interface DirectConnectors {
  manager: ConnectorManager;
  simulator: RunningSimulator | null;
  stop(): Promise<void>;
}

/**
 * Starts what `npm start` runs beside the API: the demo simulator (unless KERF_SIM=0) and the
 * connector manager for MTConnect/OPC UA machines. Never fails Kerf's start: a simulator that
 * cannot start is logged with the reason and the rest goes on without it.
 */
export async function startDirectConnectors(
  ctx: Pick<AppContext, 'config' | 'database'>,
  machines: MachinesRuntime,
  log: (msg: string) => void,
  options: { simulatorPorts?: { mtconnectPort?: number; opcuaPort?: number } } = {},
): Promise<DirectConnectors> {
  let simulator: RunningSimulator | null = null;
  if (ctx.config.sim) {
    try {
      simulator = await startDemoSimulator(ctx.database, machines, log, options.simulatorPorts);
    } catch (err) {
      log(`kerf: simulator failed to start, going on without it: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const manager = createConnectorManager({
    db: ctx.database.db,
    submit: (events) => machines.ingest.push(events),
    factories: connectorFactories(opcUaConnectorSettings(ctx.config)),
    log: (msg) => log(`kerf: ${msg}`),
  });
  await manager.refresh().catch((err: unknown) => {
    log(`kerf: connectors: cannot read the machines: ${err instanceof Error ? err.message : String(err)}`);
  });
  return {
    manager,
    simulator,
    stop: async () => {
      await manager.stop();
      await simulator?.stop();
    },
  };
}
