import "server-only";

import { createClient, defineScript, type CommandParser } from "redis";

import { log } from "@/lib/ops/log";

import type { ClientState, RateLimitCount } from "./client-state";
import { StoreUnavailableError } from "./store-unavailable";

/** Before the first connection succeeds, give up soon: a wrong REDIS_URL should fail the request, not hang it. */
export const FIRST_CONNECT_ATTEMPTS = 3;
/** No command waits longer for Redis than this: during an outage every request is answered. */
export const COMMAND_TIMEOUT_MS = 1_500;

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

/** A window's start and end for a fixed-window count. */
export function rateLimitWindow(windowSeconds: number, now: number) {
  const windowMs = windowSeconds * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, resetAt: start + windowMs };
}

/** The URL's password never reaches a message: only its host does. */
export function redisErrorDescriber(url: string): { host: string; describe: (error: unknown) => string } {
  const parsed = new URL(url);
  const secrets = [parsed.password, safeDecode(parsed.password)].filter(Boolean);
  return {
    host: parsed.host,
    describe(error) {
      const message = error instanceof Error ? error.message : String(error);
      return secrets.reduce((redacted, secret) => redacted.split(secret).join("***"), message);
    },
  };
}

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function newClient(url: string, reconnectStrategy: (retries: number) => number | false) {
  // No offline queue: while Redis is away a command fails at once (503) rather than piling up.
  return createClient({
    url,
    scripts: clientStateScripts,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: { reconnectStrategy, connectTimeout: COMMAND_TIMEOUT_MS },
  });
}
type ClientStateConnection = ReturnType<typeof newClient>;

/**
 * The QR login client's state in Redis (REDIS_URL, against real Authing): every instance sees a
 * sign-out at once and shares one rate-limit count. One connection, failing fast like the store's.
 */
export class RedisClientState implements ClientState {
  private readonly client: ClientStateConnection;
  private readonly prefix: string;
  private readonly host: string;
  private readonly describe: (error: unknown) => string;
  private connected = false;
  private connecting?: Promise<ClientStateConnection>;
  private closing?: Promise<void>;
  private reportedOutage = false;

  constructor({ url, keyPrefix = "qr-login-client:" }: { url: string; keyPrefix?: string }) {
    ({ host: this.host, describe: this.describe } = redisErrorDescriber(url));
    this.prefix = keyPrefix;
    this.client = newClient(url, (retries) => {
      if (!this.connected && retries >= FIRST_CONNECT_ATTEMPTS) return false;
      return Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200);
    });
    this.client.on("error", (error: unknown) => {
      if (!this.connected || this.reportedOutage || this.closing) return;
      this.reportedOutage = true;
      log.error("store.unavailable", `Redis at ${this.host}: ${this.describe(error)} (reconnecting; answering 503 until it is back)`, {
        host: this.host,
        variable: "REDIS_URL",
      });
    });
    this.client.on("ready", () => {
      if (!this.reportedOutage) return;
      this.reportedOutage = false;
      log.info("store.recovered", `Redis at ${this.host} is back`, { host: this.host });
    });
  }

  private ready(): Promise<ClientStateConnection> {
    if (this.closing) return Promise.reject(new Error("RedisClientState is closed"));
    if (this.connected && !this.client.isReady) {
      return Promise.reject(new StoreUnavailableError(`Redis at ${this.host} is unreachable (reconnecting)`));
    }
    this.connecting ??= this.client.connect().then(
      () => {
        this.connected = true;
        return this.client;
      },
      (error: unknown) => {
        this.connecting = undefined;
        throw new StoreUnavailableError(`Cannot connect to Redis at ${this.host}: ${this.describe(error)}`);
      },
    );
    return this.connecting;
  }

  async consumeRateLimit(key: string, limit: number, windowSeconds: number, now = Date.now()): Promise<RateLimitCount> {
    const client = await this.ready();
    const window = rateLimitWindow(windowSeconds, now);
    const count = await client.consumeRateLimit(`${this.prefix}rate:${key}:${window.start}`, ttlUntil(window.resetAt, now));
    return { allowed: count <= limit, remaining: Math.max(0, limit - count), resetAt: window.resetAt };
  }

  async revokeSession({ sid, expiresAt }: { sid: string; expiresAt: number }): Promise<void> {
    const now = Date.now();
    // A session past its end is refused on its expiry alone: there is nothing to remember.
    if (expiresAt <= now) return;
    const client = await this.ready();
    await client.revokeSession(`${this.prefix}revoked-session:${sid}`, ttlUntil(expiresAt, now));
  }

  async isSessionRevoked(sid: string): Promise<boolean> {
    const client = await this.ready();
    return (await client.exists(`${this.prefix}revoked-session:${sid}`)) === 1;
  }

  async ping(): Promise<void> {
    await (await this.ready()).ping();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.client.isReady) await this.client.close();
      else if (this.client.isOpen) this.client.destroy();
    })();
    return this.closing;
  }
}
