import { createClient } from "redis";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import { log } from "@/lib/qr-login/platform/log";
import { RedisStore } from "@/lib/qr-login/provider/store/redis-store";
import { startRedisServer, type RedisServer } from "@/test-support/redis-server";

import { RedisClientState } from "./redis-client-state";
import { EvictionPolicyError } from "./redis-link";

/** Both users of Redis: the embedded provider's store and the QR login client's own state. */
const users = [
  { name: "RedisStore", open: (url: string) => new RedisStore({ url, keyPrefix: "eviction-test:" }) },
  { name: "RedisClientState", open: (url: string) => new RedisClientState({ url, keyPrefix: "eviction-test-client:" }) },
];

/** One server per configuration, shared by both users' tests. */
const servers = new Map<string, Promise<RedisServer>>();
const opened: { close(): Promise<void> }[] = [];
function redisWith(extraArgs: string[]): Promise<RedisServer> {
  const key = JSON.stringify(extraArgs);
  if (!servers.has(key)) servers.set(key, startRedisServer({ extraArgs }));
  return servers.get(key)!;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((each) => each.close()));
  vi.restoreAllMocks();
});
afterAll(async () => {
  await Promise.all([...servers.values()].map(async (server) => (await server).stop()));
});

describe.each(users)("$name checks Redis's maxmemory-policy", ({ open }) => {
  const connect = (url: string) => {
    const state = open(url);
    opened.push(state);
    return state;
  };

  it("refuses every policy that can evict a key with a TTL, naming the setting, until it is noeviction", async () => {
    const redis = await redisWith(["--maxmemory-policy", "allkeys-lru"]);
    const admin = await createClient({ url: redis.url }).connect();
    await admin.configSet("maxmemory-policy", "allkeys-lru");
    const errors = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const state = connect(redis.url);
    const refusal = await state.checkEviction().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(EvictionPolicyError);
    expect((refusal as Error).message).toContain("maxmemory-policy is allkeys-lru");
    expect((refusal as Error).message).toContain("CONFIG SET maxmemory-policy noeviction");
    // Not the host: this message is public (readiness); the log line names it.
    expect((refusal as Error).message).not.toContain(String(redis.port));
    await expect(state.checkEviction()).rejects.toThrow(EvictionPolicyError);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]![1]).toContain(`127.0.0.1:${redis.port}`);

    try {
      // volatile-* evicts exactly the keys that hold revocations: those with a TTL.
      for (const policy of ["volatile-lru", "volatile-ttl", "allkeys-random"]) {
        await admin.configSet("maxmemory-policy", policy);
        await expect(state.checkEviction()).rejects.toThrow(`maxmemory-policy is ${policy}`);
      }
      await admin.configSet("maxmemory-policy", "noeviction");
      await expect(state.checkEviction()).resolves.toBeUndefined();
    } finally {
      admin.destroy();
    }
  });

  it("reads the policy from INFO when CONFIG is forbidden, as on managed Redis", async () => {
    const redis = await redisWith(["--maxmemory-policy", "volatile-lru", "--rename-command", "CONFIG", ""]);
    await expect(connect(redis.url).checkEviction()).rejects.toThrow("maxmemory-policy is volatile-lru");
  });

  it("passes a Redis that tells its policy neither way, with one warning", async () => {
    const redis = await redisWith(["--rename-command", "CONFIG", "", "--rename-command", "INFO", ""]);
    const warnings = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    const state = connect(redis.url);
    await expect(state.checkEviction()).resolves.toBeUndefined();
    await expect(state.checkEviction()).resolves.toBeUndefined();
    expect(warnings.mock.calls.filter(([event]) => event === "store.eviction_policy_unknown")).toHaveLength(1);
  });

  it("says the store is unreachable rather than guessing, when Redis does not answer", async () => {
    const redis = await redisWith([]);
    const state = connect(redis.url);
    await state.ping();
    await redis.kill();
    try {
      const failure = await state.checkEviction().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(EvictionPolicyError);
    } finally {
      await redis.start();
    }
  });
});
