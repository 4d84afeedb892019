import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SqliteStore } from "@/lib/store/sqlite-store";

import { consumeTiers, limitPasswordSignIn, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS } from "./guessing-limits";
import { RateLimitedError } from "@/lib/qr-login/rate-limit";

let dir: string;
let store: SqliteStore;
// The start of the current hour: every tier's window starts here, so waits are exact.
const HOUR_START = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const T0 = HOUR_START;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "guessing-limits-"));
  store = new SqliteStore(path.join(dir, "provider.sqlite"));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function waitAfter(attempt: () => Promise<void>): Promise<number | undefined> {
  try {
    await attempt();
    return undefined;
  } catch (error) {
    if (error instanceof RateLimitedError) return error.retryAfterSeconds;
    throw error;
  }
}

describe("guessing limits", () => {
  it("back off in growing steps: a burst waits out the minute, a steady guesser the quarter hour, then the hour", async () => {
    const waits: (number | undefined)[] = [];
    for (let attempt = 0; attempt < 101; attempt++) {
      waits.push(await waitAfter(() => consumeTiers(store, "k", SIGN_IN_PER_ACCOUNT, T0 + attempt)));
    }
    expect(waits.slice(0, 10)).toEqual(new Array(10).fill(undefined));
    expect(waits[10]).toBe(60);
    expect(waits[30]).toBe(15 * 60);
    expect(waits[100]).toBe(60 * 60);
  });

  it("count an account whether it exists or not, however its name is cased, and apart from the address", async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      await limitPasswordSignIn(store, "signin", { account: attempt % 2 ? "Nobody" : "nobody ", ip: `203.0.113.${attempt}` }, T0);
    }
    await expect(limitPasswordSignIn(store, "signin", { account: "NOBODY", ip: "198.51.100.1" }, T0)).rejects.toBeInstanceOf(RateLimitedError);
    // Another account from those addresses is not held back; the companion's budget is its own.
    await expect(limitPasswordSignIn(store, "signin", { account: "somebody", ip: "203.0.113.1" }, T0)).resolves.toBeUndefined();
    await expect(limitPasswordSignIn(store, "companion", { account: "nobody", ip: "198.51.100.1" }, T0)).resolves.toBeUndefined();
  });

  it("count an address across accounts, IPv6 per /64, and unknown addresses in one larger budget", async () => {
    const perMinute = SIGN_IN_PER_ADDRESS[0]!.limit;
    for (let attempt = 0; attempt < perMinute; attempt++) {
      await limitPasswordSignIn(store, "signin", { account: `user-${attempt}`, ip: `2001:db8:5:5::${attempt + 1}` }, T0);
    }
    await expect(limitPasswordSignIn(store, "signin", { account: "fresh", ip: "2001:db8:5:5:ffff::1" }, T0)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limitPasswordSignIn(store, "signin", { account: "fresh", ip: "2001:db8:5:6::1" }, T0)).resolves.toBeUndefined();

    for (let attempt = 0; attempt < perMinute * 10; attempt++) {
      await limitPasswordSignIn(store, "signin", { account: `anon-${attempt}`, ip: undefined }, T0);
    }
    await expect(limitPasswordSignIn(store, "signin", { account: "anon-last", ip: undefined }, T0)).rejects.toBeInstanceOf(RateLimitedError);
  });
});
