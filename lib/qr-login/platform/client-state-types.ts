import type { RateLimitCounter } from "@/lib/qr-login/platform/rate-limit";

/**
 * What the QR login client keeps between requests: its rate-limit counts and the web sessions
 * that were signed out. In a file of its own, so that client-state.ts, which picks one, and the
 * states it picks from (memory, Redis) import it without importing each other.
 */
export type ClientState = RateLimitCounter & {
  revokeSession(input: { sid: string; expiresAt: number }): Promise<void>;
  isSessionRevoked(sid: string): Promise<boolean>;
  ping(): Promise<void>;
  /**
   * Rejects (EvictionPolicyError) when the state lives in a Redis that may evict keys before
   * their TTL (maxmemory-policy other than noeviction): sign-outs would come undone. At start
   * and in readiness.
   */
  checkEviction(): Promise<void>;
  close(): Promise<void>;
};
