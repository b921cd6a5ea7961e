import type { EdgeConfig, MachineConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Source } from '../source.js';
import { MqttLocalSource } from './mqtt-local.js';
import { MtconnectSource } from './mtconnect.js';
import { OpcuaSource } from './opcua.js';

/** One source per configured machine, by protocol. */
export function createSources(config: EdgeConfig, log: Logger): Source[] {
  return config.machines.map((machine) => createSource(config, machine, log));
}

function createSource(config: EdgeConfig, machine: MachineConfig, log: Logger): Source {
  switch (machine.protocol) {
    case 'mqtt-local':
      return new MqttLocalSource(machine, `kerf-edge-${config.gatewayId}-${machine.id}`);
    case 'mtconnect':
      return new MtconnectSource(machine, log);
    case 'opcua':
      return new OpcuaSource(machine, config.buffer.path, log);
  }
}
