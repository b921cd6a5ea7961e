export * from './machinery-state.js';
export * from './opcua-event-builder.js';
export * from './opcua-machine-client.js';
export * from './opcua-mapping.js';
export type { ResolvedNode, ValueMode } from './opcua-resolve.js';
export type { OpcUaIdentity } from './opcua-values.js';
