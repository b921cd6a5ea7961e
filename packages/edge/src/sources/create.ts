import type { EdgeConfig, MachineConfig } from '../config.js';
import type { Source } from '../source.js';
import { MqttLocalSource } from './mqtt-local.js';
import { MtconnectSource } from './mtconnect.js';
import { OpcuaSource } from './opcua.js';

/** One source per configured machine, by protocol. */
export function createSources(config: EdgeConfig): Source[] {
  return config.machines.map((machine) => createSource(config.gatewayId, machine));
}

function createSource(gatewayId: string, machine: MachineConfig): Source {
  switch (machine.protocol) {
    case 'mqtt-local':
      return new MqttLocalSource(machine, `kerf-edge-${gatewayId}-${machine.id}`);
    case 'mtconnect':
      return new MtconnectSource(machine);
    case 'opcua':
      return new OpcuaSource(machine);
  }
}
