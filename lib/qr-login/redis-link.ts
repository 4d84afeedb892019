import "server-only";

import { log } from "@/lib/ops/log";

import { StoreUnavailableError } from "./store-unavailable";

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
  private readonly secrets: string[];
  private connected = false;
  private connecting?: Promise<unknown>;
  private reportedOutage = false;
  closing = false;

  constructor(url: string) {
    const parsed = new URL(url);
    this.host = parsed.host;
    this.secrets = [parsed.password, safeDecode(parsed.password)].filter(Boolean);
  }

  /** Retries forever once connected (Redis restarts, failovers), but only a few times at first. */
  readonly reconnectStrategy = (retries: number): number | false => {
    if (!this.connected && retries >= FIRST_CONNECT_ATTEMPTS) return false;
    return Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200);
  };

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
