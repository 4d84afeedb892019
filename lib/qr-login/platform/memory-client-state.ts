import "server-only";

import { rateLimitResult, rateLimitWindow, type RateLimitResult } from "@/lib/qr-login/platform/rate-limit";

import type { ClientState } from "./client-state-types";

/** Past this many entries, expired ones are swept before another is added: memory stays bounded by live windows. */
const SWEEP_ABOVE = 10_000;

/**
 * The client's state in this process: for development and a single instance against real
 * Authing. A restart forgets it (configWarnings says so in production without REDIS_URL).
 */
export class MemoryClientState implements ClientState {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly revoked = new Map<string, number>();

  async consumeRateLimit(key: string, limit: number, windowSeconds: number, now = Date.now()): Promise<RateLimitResult> {
    const { resetAt } = rateLimitWindow(windowSeconds, now);
    const windowKey = `${key}:${resetAt}`;
    const window = this.windows.get(windowKey) ?? { count: 0, resetAt };
    window.count += 1;
    if (!this.windows.has(windowKey)) {
      sweep(this.windows, now, (entry) => entry.resetAt);
      this.windows.set(windowKey, window);
    }
    return rateLimitResult(window.count, limit, resetAt);
  }

  async revokeSession({ sid, expiresAt }: { sid: string; expiresAt: number }): Promise<void> {
    const now = Date.now();
    if (expiresAt <= now) return;
    sweep(this.revoked, now, (until) => until);
    this.revoked.set(sid, Math.max(expiresAt, this.revoked.get(sid) ?? 0));
  }

  async isSessionRevoked(sid: string): Promise<boolean> {
    return (this.revoked.get(sid) ?? 0) > Date.now();
  }

  async ping(): Promise<void> {}

  /** Nothing is evicted here but by its own expiry. */
  async checkEviction(): Promise<void> {}

  async close(): Promise<void> {}
}

function sweep<T>(entries: Map<string, T>, now: number, endOf: (entry: T) => number): void {
  if (entries.size < SWEEP_ABOVE) return;
  for (const [key, entry] of entries) if (endOf(entry) <= now) entries.delete(key);
}
