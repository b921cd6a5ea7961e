export * from './rng.js';
export * from './profiles.js';
export * from './machine-model.js';
export * from './shop-model.js';
export * from './realtime-driver.js';
export * from './demo-floor.js';
