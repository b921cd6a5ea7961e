export * from './shopfloor-topic.js';
export * from './sparkplug-topic.js';
export * from './sparkplug-payload.js';
export * from './sparkplug-metric-map.js';
export * from './sparkplug-node.js';
export * from './sparkplug-host.js';
