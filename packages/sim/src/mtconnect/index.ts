export { MTConnectAgent, type MTConnectAgentOptions, type ObservationTime } from './agent.js';
export {
  devicesFromProbe,
  type AgentDataItemSpec,
  type AgentDeviceSpec,
  type KerfDataItemKey,
} from './device-model.js';
export { parseShdr, ShdrError, type ShdrItem, type ShdrRecord } from './shdr.js';
export { replayShdr, type ShdrReplayOptions, type ShdrReplayResult } from './shdr-replayer.js';
