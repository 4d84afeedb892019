import "server-only";

import { log } from "@/lib/qr-login/platform/log";
import { loadRedis, type RedisConnection } from "@/lib/qr-login/platform/redis-connection";

import { isStoreUnavailable, StoreUnavailableError } from "./store-unavailable";

const UNREADABLE = Symbol("unreadable");

/** Before the first connection succeeds, give up soon: a wrong REDIS_URL should fail the request, not hang it. */
export const FIRST_CONNECT_ATTEMPTS = 3;
/** No command waits longer for Redis than this: during an outage every request is answered. */
export const COMMAND_TIMEOUT_MS = 1_500;

type Connection = {
  connect(): Promise<unknown>;
  readonly isReady: boolean;
  on(event: "error", listener: (error: unknown) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
};

/**
 * How this app holds Redis, for the client's state and the embedded provider's store alike:
 * connect once and fail fast (a command during an outage is refused at once as unavailable, never
 * queued), retry forever once connected, log each outage once with the host but never the
 * password, and say when every connection is back.
 */
export class RedisLink {
  readonly host: string;
  private readonly url: string;
  private readonly secrets: string[];
  private connected = false;
  private connecting?: Promise<unknown>;
  private reportedOutage = false;
  /** The policy last logged (or UNREADABLE), so that a probe every few seconds logs it once. */
  private evictionLogged?: string | typeof UNREADABLE;
  closing = false;

  constructor(url: string) {
    const parsed = new URL(url);
    this.url = url;
    this.host = parsed.host;
    this.secrets = [parsed.password, safeDecode(parsed.password)].filter(Boolean);
  }

  /** Retries forever once connected (Redis restarts, failovers), but only a few times at first. */
  readonly reconnectStrategy = (retries: number): number | false => {
    if (!this.connected && retries >= FIRST_CONNECT_ATTEMPTS) return false;
    return Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200);
  };

  /** A new connection, with these scripts; node-redis is loaded here (a ConfigError when the app has none). */
  open<Scripts>(scripts: Scripts): RedisConnection<Scripts> {
    // No offline queue: while Redis is away a command fails at once (503) rather than piling up.
    return loadRedis().createClient({
      url: this.url,
      scripts,
      disableOfflineQueue: true,
      commandOptions: { timeout: COMMAND_TIMEOUT_MS },
      socket: { reconnectStrategy: this.reconnectStrategy, connectTimeout: COMMAND_TIMEOUT_MS },
    });
  }

  /** The error's message with the URL's password taken out. */
  describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return this.secrets.reduce((redacted, secret) => redacted.split(secret).join("***"), message);
  }

  /** One outage, one pair of lines, however many connections share this link. */
  watch(connection: Connection, allReady: () => boolean): void {
    connection.on("error", (error) => {
      // Before the first connection the caller gets the error; afterwards, say so once per outage.
      if (!this.connected || this.reportedOutage || this.closing) return;
      this.reportedOutage = true;
      log.error("store.unavailable", `Redis at ${this.host}: ${this.describe(error)} (reconnecting; answering 503 until it is back)`, {
        host: this.host,
        variable: "REDIS_URL",
      });
    });
    connection.on("ready", () => {
      if (!allReady() || !this.reportedOutage) return;
      this.reportedOutage = false;
      log.info("store.recovered", `Redis at ${this.host} is back`, { host: this.host });
    });
  }

  /**
   * Checks this Redis for eviction (at start and at every readiness probe): rejects with
   * EvictionPolicyError unless its policy is noeviction, logging the host once per policy seen.
   * A Redis that tells its policy neither way passes, with one warning: that is no evidence of a
   * bad policy, and a provider that hides it must not keep the app from ever being ready.
   */
  async checkEviction(connection: PolicySource): Promise<void> {
    const policy = await readEvictionPolicy(connection);
    const logged = this.evictionLogged;
    if (policy === SAFE_EVICTION_POLICY) {
      this.evictionLogged = undefined;
      return;
    }
    if (policy === undefined) {
      if (logged === UNREADABLE) return;
      this.evictionLogged = UNREADABLE;
      log.warn(
        "store.eviction_policy_unknown",
        `Redis at ${this.host} tells its maxmemory-policy neither to CONFIG GET nor to INFO: make sure it is ${SAFE_EVICTION_POLICY} ` +
          "(on a managed Redis, eviction turned off), or sign-outs may be evicted. See docs/redis.md.",
        { host: this.host, variable: "REDIS_URL" },
      );
      return;
    }
    const error = new EvictionPolicyError(policy);
    if (logged !== policy) {
      this.evictionLogged = policy;
      log.error("store.eviction_policy", `Redis at ${this.host}: ${error.message}`, { host: this.host, policy, variable: "REDIS_URL" });
    }
    throw error;
  }

  /** The main connection once it answers: connects on first use, refuses at once while it is away. */
  ready<C extends Connection>(connection: C): Promise<C> {
    if (this.closing) return Promise.reject(new Error(`Redis at ${this.host}: closed`));
    if (this.connected && !connection.isReady) {
      return Promise.reject(new StoreUnavailableError(`Redis at ${this.host} is unreachable (reconnecting)`));
    }
    this.connecting ??= connection.connect().then(
      () => {
        // connect() also resolves when close() dropped the connection it was making.
        if (!connection.isReady) throw new Error(`Redis at ${this.host}: closed`);
        this.connected = true;
      },
      (error: unknown) => {
        this.connecting = undefined;
        throw new StoreUnavailableError(`Cannot connect to Redis at ${this.host}: ${this.describe(error)}`);
      },
    );
    return this.connecting.then(() => connection);
  }
}

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The one `maxmemory-policy` under which Redis never deletes a key before its TTL. Sign-outs and
 * revoked access tokens are keys with a TTL that are rarely read: `volatile-*` policies evict
 * exactly such keys first, `allkeys-*` any key. Under memory pressure either would undo them.
 */
export const SAFE_EVICTION_POLICY = "noeviction";

/** This Redis may evict keys: not ready until its maxmemory-policy is noeviction. */
export class EvictionPolicyError extends Error {
  constructor(readonly policy: string) {
    super(
      `Redis's maxmemory-policy is ${policy}: under memory pressure it may evict the keys that hold sign-outs and revoked tokens, ` +
        `and a signed-out session would work again. Set maxmemory-policy to ${SAFE_EVICTION_POLICY} ` +
        `(CONFIG SET maxmemory-policy ${SAFE_EVICTION_POLICY}, and in redis.conf; on a managed Redis, its eviction setting). See docs/redis.md.`,
    );
    this.name = "EvictionPolicyError";
  }
}

/**
 * By name, as isStoreUnavailable: the route that asks and the store that throws may be bundled
 * apart (the store is loaded lazily), each with its own copy of the class.
 */
export function isEvictionPolicyError(error: unknown): error is EvictionPolicyError {
  return error instanceof Error && error.name === "EvictionPolicyError";
}

/** What reading the policy needs of a node-redis connection. */
type PolicySource = {
  configGet(parameter: string): Promise<Record<string, string>>;
  info(section?: string): Promise<string>;
};

/** A refusal by Redis itself (unknown or forbidden command): anything else (no connection) is thrown on. */
async function unlessRefused<T>(ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (error) {
    if (isStoreUnavailable(error)) throw error;
    return undefined;
  }
}

/**
 * The server's maxmemory-policy: CONFIG GET first; managed Redis often forbids CONFIG (or renames
 * it), so INFO memory's `maxmemory_policy` next. Undefined when Redis tells neither.
 */
export async function readEvictionPolicy(client: PolicySource): Promise<string | undefined> {
  const config = await unlessRefused(() => client.configGet("maxmemory-policy"));
  const configured = config?.["maxmemory-policy"];
  if (configured) return configured;
  const info = await unlessRefused(() => client.info("memory"));
  return /^maxmemory_policy:(\S+)/m.exec(info ?? "")?.[1];
}
