import { describe, expect, it } from "vitest";

import { sharedRedisServer } from "@/test-support/shared-redis-server";

import type { ClientState } from "./client-state";
import { MemoryClientState } from "./memory-client-state";
import { RedisClientState } from "./redis-client-state";
import { isStoreUnavailable } from "./store-unavailable";

/** What the QR login client keeps without the embedded provider: the same answers in memory and in Redis. */
function behavesAsClientState(name: string, open: () => ClientState) {
  describe(name, () => {
    it("counts a window's hits and refuses past its limit until the window ends", async () => {
      const state = open();
      const key = `limit-${Math.random()}`;
      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push(await state.consumeRateLimit(key, 3, 60));
      expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true, false]);
      expect(answers.map((answer) => answer.remaining)).toEqual([2, 1, 0, 0]);
      expect(answers[3]!.resetAt).toBeGreaterThan(Date.now());
      expect(answers[3]!.resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
      expect((await state.consumeRateLimit(`${key}-other`, 3, 60)).allowed).toBe(true);
      await state.close();
    });

    it("keeps a revoked session until its deadline, and forgets one already past it", async () => {
      const state = open();
      const sid = `sid-${Math.random()}`;
      expect(await state.isSessionRevoked(sid)).toBe(false);
      await state.revokeSession({ sid, expiresAt: Date.now() + 60_000 });
      expect(await state.isSessionRevoked(sid)).toBe(true);
      // A later, shorter revocation does not shorten it.
      await state.revokeSession({ sid, expiresAt: Date.now() + 1 });
      expect(await state.isSessionRevoked(sid)).toBe(true);

      const short = `sid-${Math.random()}`;
      await state.revokeSession({ sid: short, expiresAt: Date.now() + 150 });
      expect(await state.isSessionRevoked(short)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await state.isSessionRevoked(short)).toBe(false);

      const past = `sid-${Math.random()}`;
      await state.revokeSession({ sid: past, expiresAt: Date.now() - 1 });
      expect(await state.isSessionRevoked(past)).toBe(false);
      await state.close();
    });
  });
}

behavesAsClientState("MemoryClientState", () => new MemoryClientState());

describe("RedisClientState", () => {
  const redis = sharedRedisServer();
  behavesAsClientState("against redis-server", () => new RedisClientState({ url: redis.url }));

  it("shares one count and one sign-out between instances", async () => {
    const [first, second] = [new RedisClientState({ url: redis.url }), new RedisClientState({ url: redis.url })];
    const key = `shared-${Math.random()}`;
    await first.consumeRateLimit(key, 2, 60);
    await second.consumeRateLimit(key, 2, 60);
    expect((await first.consumeRateLimit(key, 2, 60)).allowed).toBe(false);
    await first.revokeSession({ sid: "signed-out-elsewhere", expiresAt: Date.now() + 60_000 });
    expect(await second.isSessionRevoked("signed-out-elsewhere")).toBe(true);
    await Promise.all([first.close(), second.close()]);
  });

  it("fails fast as unavailable, naming the host but never the password, when Redis cannot be reached", async () => {
    const state = new RedisClientState({ url: "redis://:hunter2-secret@127.0.0.1:1" });
    const error = await state.ping().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isStoreUnavailable(error)).toBe(true);
    expect(String((error as Error).message)).toContain("127.0.0.1:1");
    expect(String((error as Error).message)).not.toContain("hunter2-secret");
    await state.close();
  });
});
