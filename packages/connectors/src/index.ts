export * from './machine-event.js';
