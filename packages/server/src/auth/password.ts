import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt is memory-hard and ships with Node (no native build step on install).
// N=2^15, r=8 uses 32 MiB per hash: about 60-100 ms here, slow enough for offline guessing.
const PARAMS: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LEN = 32;

function scryptAsync(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LEN, params, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Format: scrypt$N$r$p$salt(base64)$hash(base64), so parameters can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// Compared against when there is no account, so a lookup that fails costs one scrypt too.
let throwAwayHash: Promise<string> | undefined;

/**
 * Verifies against `stored`, or against a throw-away hash when there is none (unknown or
 * disabled account): both answers take one scrypt, so timing does not tell which names exist.
 */
export async function verifyPasswordOrSpend(password: string, stored: string | undefined): Promise<boolean> {
  throwAwayHash ??= hashPassword(randomBytes(18).toString('base64url'));
  const ok = await verifyPassword(password, stored ?? (await throwAwayHash));
  return stored !== undefined && ok;
}

export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}
