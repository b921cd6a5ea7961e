export * from './machine-event.js';
export * from './codec-error.js';
export * from './mqtt/shopfloor-topic.js';
