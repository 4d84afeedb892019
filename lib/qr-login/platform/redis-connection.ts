import "server-only";

import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";

import { missingPackage } from "@/lib/qr-login/platform/optional-package";

/**
 * node-redis is the host's choice, like the other optional packages: the package is required at
 * run time, from the app's own node_modules and past the bundler, only when REDIS_URL is set (an
 * app without it builds and type-checks). What this app uses of it is declared here, so that no
 * file the registry items ship names the package; a test holds node-redis's own types to these.
 */

/** What a script's parseCommand is handed (node-redis's CommandParser, the part used here). */
export type CommandParser = { pushKey(key: string): void; push(...args: string[]): void };

/** A Lua script as node-redis's createClient({ scripts }) takes it: what its defineScript returns. */
export type RedisScript<Args extends unknown[], Reply> = {
  NUMBER_OF_KEYS: number;
  SCRIPT: string;
  SHA1: string;
  parseCommand(parser: CommandParser, ...args: Args): void;
  transformReply(reply: unknown): Reply;
};

/** node-redis's defineScript: the script, with the SHA1 that EVALSHA names it by. */
export function defineScript<Args extends unknown[], Reply>(script: Omit<RedisScript<Args, Reply>, "SHA1">): RedisScript<Args, Reply> {
  return { ...script, SHA1: createHash("sha1").update(script.SCRIPT).digest("hex") };
}

/** The commands node-redis adds to a connection for its scripts. */
export type ScriptCommands<Scripts> = {
  [Name in keyof Scripts]: Scripts[Name] extends RedisScript<infer Args, infer Reply> ? (...args: Args) => Promise<Reply> : never;
};

/** A node-redis connection (RESP2), with the commands this app sends and its scripts. */
export type RedisConnection<Scripts> = ScriptCommands<Scripts> & {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  /** Another connection with the same options (for a subscriber: no scripts are sent on it). */
  duplicate(): RedisConnection<unknown>;
  on(event: "error", listener: (error: unknown) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  ping(): Promise<unknown>;
  get(key: string): Promise<string | null>;
  getDel(key: string): Promise<string | null>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options?: { expiration: { type: "PX"; value: number } }): Promise<unknown>;
  del(key: string): Promise<number>;
  exists(key: string): Promise<number>;
  hGet(key: string, field: string): Promise<string | null>;
  hGetAll(key: string): Promise<Record<string, string>>;
  hSetNX(key: string, field: string, value: string): Promise<number>;
  zRange(key: string, start: number, stop: number): Promise<string[]>;
  configGet(parameter: string): Promise<Record<string, string>>;
  info(section?: string): Promise<string>;
};

/** What createClient is given here. */
export type ConnectionOptions<Scripts> = {
  url: string;
  scripts: Scripts;
  disableOfflineQueue: boolean;
  commandOptions: { timeout: number };
  socket: { reconnectStrategy: (retries: number, cause: Error) => number | false; connectTimeout: number };
};

/** The part of the package this app calls. */
export type RedisPackage = { createClient<Scripts>(options: ConnectionOptions<Scripts>): RedisConnection<Scripts> };

// Typed as a string: neither the bundler nor tsc nor the registry's import graph follows it.
const REDIS: string = "redis";

/**
 * The app's node-redis, or a ConfigError naming the package, REDIS_URL and the command that adds
 * it. Called at start when REDIS_URL is set (startQrLoginServer), and by every Redis connection.
 */
export function loadRedis(): RedisPackage {
  try {
    return createRequire(path.join(process.cwd(), "package.json"))(REDIS) as RedisPackage;
  } catch (error) {
    throw missingPackage(REDIS, "REDIS_URL", error);
  }
}
