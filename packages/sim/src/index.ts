export {};
export * from './opcua/index.js';
export * from './model/index.js';
export * from './mtconnect/index.js';
export * from './mqtt/index.js';
export * from './simulator.js';
