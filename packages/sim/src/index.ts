export {};
export * from './opcua/index.js';
export * from './model/index.js';
export * from './mtconnect/index.js';
