import { createClient } from "redis";
import { describe, expect, it } from "vitest";

import { sharedAppServer } from "@/test-support/shared-app-server";
import { sharedRedisServer } from "@/test-support/shared-redis-server";

const METRICS_TOKEN = "readiness-test-metrics-token";
// As a managed Redis often comes: evicting the least recently used key of all under pressure.
const redis = sharedRedisServer({ extraArgs: ["--maxmemory-policy", "allkeys-lru"] });
const server = sharedAppServer(() => ({ REDIS_URL: redis.url, METRICS_TOKEN }));

const ready = (headers: Record<string, string> = {}) => fetch(`${server.origin}/api/health/ready`, { headers });
const lines = (event: string) => server.output().split("\n").filter((line) => line.includes(`"event":"${event}"`));

async function setPolicy(policy: string): Promise<void> {
  const admin = await createClient({ url: redis.url }).connect();
  try {
    await admin.configSet("maxmemory-policy", policy);
  } finally {
    admin.destroy();
  }
}

describe("readiness against Redis", () => {
  it("is not ready while Redis may evict revocations, says which setting to change, and is ready once it is noeviction", async () => {
    // Said at start, before anyone asks, with the host (the log is the operator's).
    await expect.poll(() => lines("store.eviction_policy").length, { timeout: 15_000, interval: 100 }).toBe(1);
    expect(lines("store.eviction_policy")[0]).toContain(`127.0.0.1:${redis.port}`);

    const refused = await ready();
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { failing: string[]; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.failing).toEqual(["evictionPolicy"]);
    expect(body.checks.evictionPolicy!.error).toContain("maxmemory-policy is allkeys-lru");
    expect(body.checks.evictionPolicy!.error).toContain("CONFIG SET maxmemory-policy noeviction");
    expect(JSON.stringify(body)).not.toContain(String(redis.port));
    // Asked again and again (a probe every few seconds), it is logged once.
    await ready();
    expect(lines("store.eviction_policy")).toHaveLength(1);

    await setPolicy("volatile-lru");
    expect((await ready()).status).toBe(503);
    await setPolicy("noeviction");
    const accepted = await ready();
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({
      status: "ready",
      failing: [],
      checks: { draining: { ok: true }, store: { ok: true }, evictionPolicy: { ok: true }, signingKey: { ok: true } },
    });
  });

  it("tells the public only that the store is unreachable; the host and port go to the log and the bearer of METRICS_TOKEN", async () => {
    await redis.kill();
    try {
      const answer = await ready();
      expect(answer.status).toBe(503);
      const text = await answer.text();
      expect(JSON.parse(text)).toMatchObject({ status: "not_ready", checks: { store: { ok: false, error: "store unreachable" } } });
      expect(text).not.toContain("127.0.0.1");
      expect(text).not.toContain(String(redis.port));
      expect(text).not.toMatch(/redis/i);

      const detailed = await ready({ authorization: `Bearer ${METRICS_TOKEN}` });
      expect(detailed.status).toBe(503);
      expect(await detailed.text()).toContain(`127.0.0.1:${redis.port}`);
      expect((await ready({ authorization: "Bearer not-the-metrics-token" })).status).toBe(503);
      expect(await (await ready({ authorization: "Bearer not-the-metrics-token" })).text()).not.toContain("127.0.0.1");
      expect(lines("readiness.not_ready").some((line) => line.includes(`127.0.0.1:${redis.port}`))).toBe(true);
    } finally {
      await redis.start();
    }
  });
});
