export * from './machine-event.js';
export * from './codec-error.js';
export * from './mqtt/index.js';
export * from './mtconnect/index.js';
export * from './opcua/index.js';
