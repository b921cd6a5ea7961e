import { randomBytes } from 'node:crypto';
import {
  DEMO_MACHINES,
  SIM_SHOP_NAMESPACE_URI,
  startSimulator,
  type RunningSimulator,
  type SimMachine,
} from '@kerf/sim';
import type { Database } from '../../platform/db.js';
import { saveDevice } from '../mqtt/devices.js';
import type { MachinesRuntime } from '../runtime.js';

const SIM_DEVICE = 'kerf-sim';
const SPARKPLUG_GROUP = 'Kerf';

/** The connection settings a demo machine gets: where the simulator serves it. */
export function simulatedConnection(m: SimMachine, endpoints: RunningSimulator['endpoints']): Record<string, unknown> {
  // `simulated` marks rows the demo may repoint on the next start; a machine an admin edited keeps its settings.
  switch (m.protocol) {
    case 'mtconnect':
      return { simulated: true, url: endpoints.mtconnect, device: m.machineId };
    case 'opcua':
      // The simulator runs beside Kerf on loopback: plain, said so explicitly. A machine registered
      // without securityMode gets SignAndEncrypt and a trusted certificate is required.
      return {
        simulated: true,
        endpointUrl: endpoints.opcua,
        namespaceUri: SIM_SHOP_NAMESPACE_URI,
        securityMode: 'None',
        securityPolicy: 'None',
      };
    case 'mqtt':
      return { simulated: true, topic: `shopfloor/${m.department}/${m.machineId}/` };
    case 'sparkplug':
      return { simulated: true, groupId: SPARKPLUG_GROUP, edgeNodeId: `sim-${m.department}`, deviceId: m.machineId };
  }
}

/**
 * `npm start` demo: runs the simulator for the demo machines whose work centers exist, and
 * registers those machines pointing at it (MTConnect agent, OPC UA server on ephemeral ports,
 * MQTT and Sparkplug through Kerf's broker with a device credential made for it). Returns null
 * when there is nothing to simulate.
 */
export async function startDemoSimulator(
  database: Database,
  machines: MachinesRuntime,
  log: (msg: string) => void,
  ports: { mtconnectPort?: number; opcuaPort?: number } = {},
): Promise<RunningSimulator | null> {
  const centers = await database.query<{ id: string; name: string; department_id: string }>(
    'SELECT id, name, department_id FROM work_centers WHERE id = ANY($1)',
    [DEMO_MACHINES.map((m) => m.machineId)],
  );
  const centerOf = new Map(centers.map((c) => [c.id, c]));
  let sims = DEMO_MACHINES.filter((m) => centerOf.has(m.machineId));
  if (sims.length === 0) {
    log('kerf: simulator not started: none of the demo work centers exists (load the demo shop, or KERF_SIM=0)');
    return null;
  }
  let mqttUrl = machines.mqttUrl;
  if (!mqttUrl) {
    const skipped = sims.filter((m) => m.protocol === 'mqtt' || m.protocol === 'sparkplug').length;
    if (skipped > 0) log(`kerf: MQTT is off: the ${skipped} MQTT/Sparkplug demo machines are not simulated`);
    sims = sims.filter((m) => m.protocol === 'mtconnect' || m.protocol === 'opcua');
  } else if (machines.broker) {
    // The embedded broker wants credentials: a device for the simulator, limited to machine topics.
    const password = randomBytes(18).toString('base64url');
    await saveDevice(database, { username: SIM_DEVICE, password, allowedTopics: ['shopfloor/', 'spBv1.0/'] });
    const url = new URL(mqttUrl);
    url.username = SIM_DEVICE;
    url.password = password;
    mqttUrl = url.toString();
  }
  // The simulator's departments are the demo shop's: take the work center's, in case it was moved.
  sims = sims.map((m) => ({ ...m, department: centerOf.get(m.machineId)!.department_id }));
  const sim = await startSimulator({ machines: sims, seed: 1, ...ports, ...(mqttUrl ? { mqttUrl } : {}) });
  try {
    for (const m of sims) {
      const center = centerOf.get(m.machineId)!;
      await database.query(
        `INSERT INTO machines (code, name, work_center_id, department_id, protocol, connection)
         VALUES ($1, $2, $1, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET protocol = excluded.protocol, connection = excluded.connection,
           version = machines.version + 1, updated_at = now()
         WHERE machines.connection->>'simulated' = 'true'`,
        [
          m.machineId,
          center.name,
          center.department_id,
          m.protocol,
          JSON.stringify(simulatedConnection(m, sim.endpoints)),
        ],
      );
    }
    await machines.registry.load();
  } catch (err) {
    await sim.stop();
    throw err;
  }
  const count = (p: string) => sims.filter((m) => m.protocol === p).length;
  log(
    `kerf: simulator running ${sims.length} demo machines: MTConnect ${count('mtconnect')} (${sim.endpoints.mtconnect ?? '-'}), ` +
      `OPC UA ${count('opcua')} (${sim.endpoints.opcua ?? '-'}), MQTT ${count('mqtt')}, Sparkplug ${count('sparkplug')}`,
  );
  return sim;
}
