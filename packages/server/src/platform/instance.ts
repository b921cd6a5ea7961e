import { hostname } from 'node:os';

/** Identifies this process in claims, leases, event fan-out and logs. */
export const INSTANCE_ID = `${hostname()}:${process.pid}`;
