import { beforeEach, describe, expect, it } from "vitest";

import type { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import { tempSqliteStores } from "@/test-support/temp-dirs";

import {
  limitPasswordSignIn,
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_ACCOUNT_FROM_DEVICES,
  SIGN_IN_PER_ADDRESS,
  SIGN_IN_PER_NETWORK_AND_ACCOUNT,
} from "./guessing-limits";
import { limitRate, limitRatePerAddress, RateLimitedError, requireAddressWithinRateLimit } from "@/lib/qr-login/platform/rate-limit";

const sqliteStore = tempSqliteStores("guessing-limits-");
let store: SqliteStore;
// The start of the current hour: every tier's window starts here, so waits are exact.
const HOUR_START = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const T0 = HOUR_START;

beforeEach(() => {
  store = sqliteStore().store;
});

async function waitAfter(attempt: () => Promise<unknown>): Promise<number | undefined> {
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
      waits.push(await waitAfter(() => limitRate(store, "k", SIGN_IN_PER_ACCOUNT, T0 + attempt)));
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
    await expect(limitPasswordSignIn(store, "signin", { account: "somebody", ip: "203.0.113.1" }, T0)).resolves.toBeDefined();
    await expect(limitPasswordSignIn(store, "companion", { account: "nobody", ip: "198.51.100.1" }, T0)).resolves.toBeDefined();
  });

  it("count an address across accounts, IPv6 per /64, and unknown addresses in one larger budget", async () => {
    const perMinute = SIGN_IN_PER_ADDRESS[0]!.limit;
    for (let attempt = 0; attempt < perMinute; attempt++) {
      await limitPasswordSignIn(store, "signin", { account: `user-${attempt}`, ip: `2001:db8:5:5::${attempt + 1}` }, T0);
    }
    await expect(limitPasswordSignIn(store, "signin", { account: "fresh", ip: "2001:db8:5:5:ffff::1" }, T0)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limitPasswordSignIn(store, "signin", { account: "fresh", ip: "2001:db8:5:6::1" }, T0)).resolves.toBeDefined();

    for (let attempt = 0; attempt < perMinute * 10; attempt++) {
      await limitPasswordSignIn(store, "signin", { account: `anon-${attempt}`, ip: undefined }, T0);
    }
    await expect(limitPasswordSignIn(store, "signin", { account: "anon-last", ip: undefined }, T0)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("let one address spend at most half an account's budget, so its owner with no device cookie still signs in from elsewhere", async () => {
    // The address may try 20 a minute, more than the account's 10; at one account it gets 5.
    expect(SIGN_IN_PER_NETWORK_AND_ACCOUNT.map((tier) => tier.limit)).toEqual(SIGN_IN_PER_ACCOUNT.map((tier) => tier.limit / 2));
    const waits = [];
    for (let attempt = 0; attempt < SIGN_IN_PER_ADDRESS[0]!.limit; attempt++) {
      waits.push(await waitAfter(() => limitPasswordSignIn(store, "signin", { account: "alice", ip: "203.0.113.9" }, T0)));
    }
    expect(waits.filter((wait) => wait === undefined)).toHaveLength(SIGN_IN_PER_NETWORK_AND_ACCOUNT[0]!.limit);
    // The owner, on another network and with no device cookie, has the other half.
    for (let attempt = 0; attempt < SIGN_IN_PER_ACCOUNT[0]!.limit - SIGN_IN_PER_NETWORK_AND_ACCOUNT[0]!.limit; attempt++) {
      await expect(limitPasswordSignIn(store, "signin", { account: "alice", ip: "198.51.100.20" }, T0)).resolves.toBeDefined();
    }
    // A whole IPv6 /48 is one network here: its /64s together get no more than one address.
    for (let attempt = 0; attempt < 20; attempt++) {
      await waitAfter(() => limitPasswordSignIn(store, "signin", { account: "bob", ip: `2001:db8:9:${attempt.toString(16)}::1` }, T0));
    }
    await expect(limitPasswordSignIn(store, "signin", { account: "bob", ip: "198.51.100.21" }, T0)).resolves.toBeDefined();
  });

  it("give the network's share back for a sign-in whose password was right: the owner's fresh phones behind one address are not a stranger's guesses", async () => {
    const share = SIGN_IN_PER_NETWORK_AND_ACCOUNT[0]!.limit;
    // Twice the share of right passwords from one address, each given back: none refused.
    for (let attempt = 0; attempt < share * 2 - 1; attempt++) {
      await (await limitPasswordSignIn(store, "signin", { account: "carol", ip: "203.0.113.30" }, T0)).succeeded();
    }
    // Wrong guesses are not given back: the share ends the stranger's run, and the owner elsewhere keeps the rest.
    const waits = [];
    for (let attempt = 0; attempt < share + 1; attempt++) {
      waits.push(await waitAfter(() => limitPasswordSignIn(store, "signin", { account: "dave", ip: "203.0.113.31" }, T0)));
    }
    expect(waits.filter((wait) => wait === undefined)).toHaveLength(share);
    expect(waits.at(-1)).toBeGreaterThan(0);
    // A sign-in from a device cookie has no network share to give back.
    await (await limitPasswordSignIn(store, "signin", { account: "erin", ip: "203.0.113.32", device: "d".repeat(22) }, T0)).succeeded();
  });

  it("bound an account's device-vouched attempts however many devices the caller names, and however many addresses", async () => {
    // A holder of the app secret names a fresh device and a fresh address for every guess.
    const waits = [];
    for (let attempt = 0; attempt < SIGN_IN_PER_ACCOUNT_FROM_DEVICES[0]!.limit + 5; attempt++) {
      const device = `laundered-device-${attempt.toString().padStart(8, "0")}`;
      waits.push(await waitAfter(() => limitPasswordSignIn(store, "signin", { account: "carol", ip: `192.0.2.${attempt + 1}`, device }, T0)));
    }
    expect(waits.filter((wait) => wait === undefined)).toHaveLength(SIGN_IN_PER_ACCOUNT_FROM_DEVICES[0]!.limit);
    expect(SIGN_IN_PER_ACCOUNT_FROM_DEVICES.at(-1)!.limit).toBe(300);
  });

  it("count IPv6 in its /64, /56 and /48: fresh /64s of one /48 get sixteen addresses' attempts", async () => {
    const perMinute = SIGN_IN_PER_ADDRESS[0]!.limit;
    let allowed = 0;
    for (let index = 0; index < 2000; index++) {
      const wait = await waitAfter(() => limitPasswordSignIn(store, "signin", { account: `spray-${index}`, ip: `2001:db8:48:${index.toString(16)}::1` }, T0));
      if (wait === undefined) allowed++;
    }
    expect(allowed).toBe(16 * perMinute);
  });

  it("refuse an address over a budget of failures before its next attempt, counting nothing", async () => {
    const tiers = [{ limit: 3, windowSeconds: 60 }];
    for (let failure = 0; failure < 3; failure++) {
      await requireAddressWithinRateLimit(store, "failures", "2001:db8:1:1::1", tiers, T0);
      await limitRatePerAddress(store, "failures", "2001:db8:1:1::1", tiers, T0);
    }
    expect(await waitAfter(() => requireAddressWithinRateLimit(store, "failures", "2001:db8:1:1::2", tiers, T0 + 10_000))).toBe(50);
    expect(await waitAfter(() => requireAddressWithinRateLimit(store, "failures", "2001:db8:1:2::1", tiers, T0))).toBeUndefined();
    // The window passes, and the address is heard again.
    expect(await waitAfter(() => requireAddressWithinRateLimit(store, "failures", "2001:db8:1:1::1", tiers, T0 + 60_000))).toBeUndefined();
  });
});
