export { MTConnectAgent, type MTConnectAgentOptions, type ObservationTime } from './agent.js';
export {
  devicesFromProbe,
  type AgentDataItemSpec,
  type AgentDeviceSpec,
  type KerfDataItemKey,
} from './device-model.js';
