export * from './machine-event.js';
export * from './codec-error.js';
export * from './mqtt/shopfloor-topic.js';
export * from './mtconnect/index.js';
