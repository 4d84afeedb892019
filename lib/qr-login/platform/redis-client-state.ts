import "server-only";

import { rateLimitResult, rateLimitWindow, type RateLimitResult } from "@/lib/qr-login/platform/rate-limit";

import type { ClientState } from "./client-state-types";
import { defineScript, type CommandParser, type RedisConnection } from "./redis-connection";
import { RedisLink } from "./redis-link";

/** Live time from `now` until `until`, at least 1 ms. */
export const ttlUntil = (until: number, now: number) => Math.max(1, Math.ceil(until - now));

/** The scripts the client's state needs; the embedded provider's RedisStore registers them too. */
export const clientStateScripts = {
  // One key per window, gone when the window ends.
  consumeRateLimit: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      local count = redis.call('INCR', KEYS[1])
      if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return count`,
    parseCommand: (parser: CommandParser, key: string, ttlMs: number) => {
      parser.pushKey(key);
      parser.push(String(ttlMs));
    },
    transformReply: (reply: unknown) => Number(reply),
  }),
  // One hit taken back from a window that still exists (its TTL stays), never below none.
  releaseRateLimit: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
      return 1`,
    parseCommand: (parser: CommandParser, key: string) => {
      parser.pushKey(key);
    },
    transformReply: () => undefined,
  }),
  // A revoked session id, kept until the latest expiry any revocation of it asked for.
  revokeSession: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
      return 1`,
    parseCommand: (parser: CommandParser, key: string, ttlMs: number) => {
      parser.pushKey(key);
      parser.push(String(ttlMs));
    },
    transformReply: () => undefined,
  }),
};

type ClientStateConnection = RedisConnection<typeof clientStateScripts>;

/** What the client's state asks of a connection: its scripts (clientStateScripts), and a few commands. */
type ClientStateCommands = Pick<ClientStateConnection, keyof typeof clientStateScripts | "get" | "exists" | "ping"> & Parameters<RedisLink["checkEviction"]>[0];

/**
 * The client's state (rate limits, signed-out sessions) in Redis, over a connection a subclass
 * owns: RedisClientState's own, or the embedded provider's RedisStore's. Every instance sees a
 * sign-out at once and shares one rate-limit count.
 */
export abstract class RedisClientStateOn {
  protected abstract readonly link: RedisLink;
  protected abstract readonly prefix: string;
  protected abstract ready(): Promise<ClientStateCommands>;

  private rateLimitKey(key: string, windowSeconds: number, now: number) {
    return `${this.prefix}rate:${key}:${rateLimitWindow(windowSeconds, now).start}`;
  }

  private revokedSessionKey(sid: string) {
    return `${this.prefix}revoked-session:${sid}`;
  }

  /** One key per window, gone when the window ends. */
  async consumeRateLimit(key: string, limit: number, windowSeconds: number, now = Date.now()): Promise<RateLimitResult> {
    const client = await this.ready();
    const { resetAt } = rateLimitWindow(windowSeconds, now);
    const count = await client.consumeRateLimit(this.rateLimitKey(key, windowSeconds, now), ttlUntil(resetAt, now));
    return rateLimitResult(count, limit, resetAt);
  }

  async peekRateLimit(key: string, windowSeconds: number, now = Date.now()): Promise<number> {
    const client = await this.ready();
    return Number((await client.get(this.rateLimitKey(key, windowSeconds, now))) ?? 0);
  }

  async releaseRateLimit(key: string, windowSeconds: number, now = Date.now()): Promise<void> {
    const client = await this.ready();
    await client.releaseRateLimit(this.rateLimitKey(key, windowSeconds, now));
  }

  async revokeSession({ sid, expiresAt }: { sid: string; expiresAt: number }): Promise<void> {
    const now = Date.now();
    // A session past its end is refused on its expiry alone: there is nothing to remember.
    if (expiresAt <= now) return;
    const client = await this.ready();
    await client.revokeSession(this.revokedSessionKey(sid), ttlUntil(expiresAt, now));
  }

  async isSessionRevoked(sid: string): Promise<boolean> {
    const client = await this.ready();
    return (await client.exists(this.revokedSessionKey(sid))) === 1;
  }

  async ping(): Promise<void> {
    await (await this.ready()).ping();
  }

  async checkEviction(): Promise<void> {
    await this.link.checkEviction(await this.ready());
  }
}

/**
 * The QR login client's state in Redis (REDIS_URL, against real Authing), on one connection of
 * its own, failing fast like the store's.
 */
export class RedisClientState extends RedisClientStateOn implements ClientState {
  protected readonly link: RedisLink;
  protected readonly prefix: string;
  private readonly client: ClientStateConnection;
  private closing?: Promise<void>;

  constructor({ url, keyPrefix = "qr-login-client:" }: { url: string; keyPrefix?: string }) {
    super();
    this.link = new RedisLink(url);
    this.prefix = keyPrefix;
    this.client = this.link.open(clientStateScripts);
    this.link.watch(this.client, () => this.client.isReady);
  }

  protected ready(): Promise<ClientStateConnection> {
    return this.link.ready(this.client);
  }

  close(): Promise<void> {
    this.link.closing = true;
    this.closing ??= (async () => {
      if (this.client.isReady) await this.client.close();
      else if (this.client.isOpen) this.client.destroy();
    })();
    return this.closing;
  }
}
