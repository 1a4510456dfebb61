/**
 * Slows down password guessing: after 5 failures for the same username (or 30
 * from the same address — a whole floor of agents may share one NAT address)
 * within 15 minutes, further attempts are refused for a lockout
 * that doubles with each further failure (30 s, 60 s … up to 15 min). A success
 * clears the username's record. In memory: a restart forgets, which is fine for
 * throttling (the audit log keeps the failures).
 */
const WINDOW_MS = 15 * 60_000;
const FREE_FAILURES = { user: 5, ip: 30 };
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

interface Entry {
  failures: number;
  first: number;
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds the caller must wait, or 0 when an attempt is allowed. */
  retryAfterMs(username: string, ip: string): number {
    const t = this.now();
    let wait = 0;
    for (const key of this.keys(username, ip)) {
      const e = this.entries.get(key);
      if (e && e.lockedUntil > t) wait = Math.max(wait, e.lockedUntil - t);
    }
    return wait;
  }

  recordFailure(username: string, ip: string): void {
    const t = this.now();
    for (const key of this.keys(username, ip)) {
      let e = this.entries.get(key);
      if (!e || t - e.first > WINDOW_MS) e = { failures: 0, first: t, lockedUntil: 0 };
      e.failures += 1;
      const free = key.startsWith('u:') ? FREE_FAILURES.user : FREE_FAILURES.ip;
      if (e.failures >= free) {
        e.lockedUntil = t + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (e.failures - free));
      }
      this.entries.set(key, e);
    }
    if (this.entries.size > 50_000) this.prune(t);
  }

  recordSuccess(username: string): void {
    this.entries.delete(`u:${username.toLowerCase()}`);
  }

  private keys(username: string, ip: string): string[] {
    return [`u:${username.toLowerCase()}`, `ip:${ip}`];
  }

  private prune(t: number): void {
    for (const [k, e] of this.entries)
      if (t - e.first > WINDOW_MS && e.lockedUntil < t) this.entries.delete(k);
  }
}
