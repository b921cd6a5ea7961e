export interface LoginLimits {
  /** failed logins of one user name within the window before it is refused outright */
  perUsername: number;
  /** failed logins from one remote address within the window, whatever the user names */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUsername: 5, perAddress: 30, windowMs: 60_000 };

/**
 * Counts failed MQTT logins per user name and per remote address in a sliding window. Logins in
 * flight count too, so a burst of parallel guesses cannot all slip in before the first one fails.
 * Unknown user names are counted like known ones: being limited says nothing about which exist.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly limits: LoginLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reserves an attempt; false when the user name or the address is over its limit. */
  begin(username: string, address: string): boolean {
    const keys = this.keysOf(username, address);
    if (keys.some(([key, limit]) => this.count(key) + (this.pending.get(key) ?? 0) >= limit)) return false;
    for (const [key] of keys) this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    return true;
  }

  /** Ends an attempt `begin` let through. */
  end(username: string, address: string, succeeded: boolean): void {
    const at = this.now();
    for (const [key] of this.keysOf(username, address)) {
      const left = (this.pending.get(key) ?? 1) - 1;
      if (left > 0) this.pending.set(key, left);
      else this.pending.delete(key);
      if (!succeeded) this.failures.set(key, [...(this.failures.get(key) ?? []), at]);
    }
  }

  private keysOf(username: string, address: string): [string, number][] {
    return [
      [`u\u0000${username}`, this.limits.perUsername],
      [`a\u0000${address}`, this.limits.perAddress],
    ];
  }

  private count(key: string): number {
    const times = this.failures.get(key);
    if (!times) return 0;
    const since = this.now() - this.limits.windowMs;
    const recent = times.filter((t) => t > since);
    // Old entries go, so a scan of many user names does not grow the map for ever.
    if (recent.length === 0) this.failures.delete(key);
    else if (recent.length !== times.length) this.failures.set(key, recent);
    return recent.length;
  }
}
