export * from './sim-events.js';
export * from './mqtt-connection.js';
export * from './shopfloor-publisher.js';
export * from './sparkplug-publisher.js';
