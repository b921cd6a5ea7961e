/** Moved to platform/time-zone.ts; kept so planning modules can import it where they live. */
export * from '../platform/time-zone.js';
