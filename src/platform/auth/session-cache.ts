/**
 * Checked sessions kept in memory for a few seconds, so a busy page does not pay a database
 * round trip per request (on the embedded engine that is most of a request's cost). Logout in
 * this process evicts at once; other processes see it within the TTL.
 */
import type { SessionCheck } from "./service.js";

type Valid = Extract<SessionCheck, { ok: true }>;

export class SessionCache {
  private readonly entries = new Map<string, { check: Valid; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(token: string, now = Date.now()): Valid | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (e.until <= now || e.check.expiresAt.getTime() <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return e.check;
  }

  set(token: string, check: Valid, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest insertion; Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { check, until: now + this.ttlMs });
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  /** Forgets every cached session of a user (disabled, sessions ended, password or grants changed). */
  forgetUser(userId: string): void {
    for (const [token, e] of this.entries) if (e.check.actor.userId === userId) this.entries.delete(token);
  }
}
