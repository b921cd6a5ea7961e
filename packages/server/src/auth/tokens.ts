import { createHash, randomBytes } from 'node:crypto';

export const SESSION_PREFIX = 'kst_';
export const API_KEY_PREFIX = 'kak_';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Tokens are random; only their hash is stored, so a database leak does not leak sessions. */
export function newToken(prefix: string): { token: string; hash: string } {
  const token = prefix + randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}
/** A shared floor tablet's device token (ADR 0022). */
export const STATION_PREFIX = 'kfd_';
