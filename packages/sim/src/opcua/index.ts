export * from './machinery-states.js';
export { MACHINERY_NAMESPACE_URI } from './machine-nodes.js';
export * from './opcua-machine-server.js';
