import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";

import { apiCodes, MAX_PUBLIC_ATTACHED_JSON_BYTES } from "@/lib/qr-login/client/authing/schemas";
import { getClientState, registerClientState } from "@/lib/qr-login/platform/client-state";
import { limitRatePerAddress, RateLimitedError } from "@/lib/qr-login/platform/rate-limit";
import { tempSqliteStores } from "@/test-support/temp-dirs";

import type { ProviderDeps } from "./deps";
import { ProviderError } from "./errors";
import { geneQrCode } from "./qr-codes";
import { testProviderSettings } from "../../../test-support/test-settings";
import { limitPublicRequest, PROVIDER_RATE_LIMITS, PUBLIC_CODES_IN_ALL } from "./provider-rate-limits";

/**
 * The flood of issue 25: public gene-qrcode from thousands of /64s of one IPv6 /48, each code with
 * as much customData as it may carry, against the real SQLite store, in process (the limits are
 * the functions every route calls; public-surface.test.ts shows the routes answer their 429).
 */
const sqliteStore = tempSqliteStores("ipv6-flood-");
let file: string;
let deps: ProviderDeps;
// The start of an hour: every window starts here, so the budgets are exact.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000;
let clock = T0;

beforeEach(() => {
  const opened = sqliteStore();
  file = opened.file;
  clock = T0;
  deps = { store: opened.store, now: () => clock, settings: testProviderSettings() };
});

const customData = { note: "x".repeat(MAX_PUBLIC_ATTACHED_JSON_BYTES - 20) };
const perMinute = PROVIDER_RATE_LIMITS.geneQrCode[0]!.limit;
/** The /64 number `index` of the /48 2001:db8:<site>::/48, one address in it. */
const addressIn = (site: number, index: number) => `2001:db8:${site.toString(16)}:${index.toString(16)}::${(index % 7) + 1}`;
/** The `n`th /64 of a flood spread over all 256 /56s of a /48 (so no /56 budget is what stops it). */
const spread = (n: number) => ((n % 256) << 8) | Math.floor(n / 256);

/** A public gene-qrcode from `ip`, as the route makes it: limited, then made. Answers whether it was made. */
async function publicCode(ip: string): Promise<boolean> {
  const caller = { ip, app: false };
  try {
    await limitPublicRequest(deps, "geneQrCode", caller);
  } catch (error) {
    if (error instanceof RateLimitedError) return false;
    throw error;
  }
  await geneQrCode(deps, { type: "MOBILE_APP", customData }, "https://qr.example", { ...caller, userAgent: "flood/1.0" });
  return true;
}

function storeSize() {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT COUNT(*) AS codes, COALESCE(SUM(LENGTH(custom_data) + LENGTH(context)), 0) AS attached FROM qr_codes").get() as {
      codes: number;
      attached: number;
    };
  } finally {
    db.close();
  }
}

describe("a flood of public codes from one IPv6 /48", () => {
  it("2,000 /64s of one /48 get the /48's budget (16 times a /64's), and the store holds only what was made", async () => {
    let made = 0;
    for (let index = 0; index < 2000; index++) made += Number(await publicCode(addressIn(0x48, index)));
    // 2,000 /64s would have had 2,000 budgets; the /48 has sixteen.
    expect(made).toBe(16 * perMinute);
    const { codes, attached } = storeSize();
    expect(codes).toBe(made);
    // Each kept at most 512 bytes of customData and the address and user agent the provider saw.
    expect(attached).toBeLessThanOrEqual(made * (MAX_PUBLIC_ATTACHED_JSON_BYTES + 100));

    // A neighbour in another /48 is not held back by it.
    expect(await publicCode(addressIn(0x49, 1))).toBe(true);

    // Fresh /64s of the /48 are refused until the minute is out; then the next sixteen budgets.
    for (let n = 0; n < 50; n++) expect(await publicCode(addressIn(0x48, spread(3000 + n)))).toBe(false);
    clock = T0 + 60_000;
    let next = 0;
    for (let n = 0; n < 16 * perMinute + 50; n++) next += Number(await publicCode(addressIn(0x48, spread(4000 + n))));
    expect(next).toBe(16 * perMinute);
    expect(storeSize().codes).toBe(made + 1 + next);
  });

  it("one /64 past its budget spends none of its /48's, and a /56 gets four /64s' worth", async () => {
    let one = 0;
    for (let attempt = 0; attempt < 3 * perMinute; attempt++) one += Number(await publicCode(addressIn(0x50, 1)));
    expect(one).toBe(perMinute);
    // The other /64s of its /56 (2001:db8:50::/56 holds /64s 0 to ff) share the /56's four budgets.
    let home = 0;
    for (let index = 2; index < 0x100; index++) home += Number(await publicCode(addressIn(0x50, index)));
    expect(home).toBe(3 * perMinute);
    // The rest of the /48 (other /56s) still has twelve.
    let site = 0;
    for (let home56 = 1; home56 < 16; home56++) {
      for (let index = 0; index < 40; index++) site += Number(await publicCode(addressIn(0x50, (home56 << 8) | index)));
    }
    expect(site).toBe(12 * perMinute);
  });

  it("caps public codes in all, whatever the networks, and never the app's own", async () => {
    const ceiling = PUBLIC_CODES_IN_ALL[0]!.limit;
    let made = 0;
    // Three /48s, each within its own budget, together past the ceiling.
    for (let site = 0; site < 3; site++) {
      for (let n = 0; n < 16 * perMinute; n++) made += Number(await publicCode(addressIn(0x60 + site, spread(n))));
    }
    expect(made).toBe(ceiling);
    expect(await publicCode("198.51.100.7")).toBe(false);
    // The app (in process, or proving its secret) is limited per browser by the app, not here.
    await limitPublicRequest(deps, "geneQrCode", { ip: "198.51.100.7", app: true });
    expect(storeSize().codes).toBe(ceiling);
  });

  it("keeps at most 512 bytes of customData from a caller that is not the app, 4,096 from the app", async () => {
    const large = { note: "x".repeat(MAX_PUBLIC_ATTACHED_JSON_BYTES) };
    const refusal = await geneQrCode(deps, { type: "MOBILE_APP", customData: large }, "https://qr.example", { app: false, ip: "198.51.100.8", userAgent: undefined }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ProviderError);
    expect(refusal).toMatchObject({ statusCode: 400, apiCode: apiCodes.invalidRequest, message: expect.stringContaining("customData: must be at most 512 bytes") });
    expect(storeSize().codes).toBe(0);
    await geneQrCode(deps, { type: "MOBILE_APP", customData: large }, "https://qr.example", { app: true, ip: undefined, userAgent: undefined });
    expect(storeSize().codes).toBe(1);
  });
});

describe("the app's own per-address limits", () => {
  it("count IPv6 per /64, /56 and /48 too: a /48's browsers get sixteen addresses' codes", async () => {
    // The app keeps its counts in the provider's store (in-process-transport registers it), on the test's clock.
    registerClientState({
      consumeRateLimit: (key, limit, windowSeconds) => deps.store.consumeRateLimit(key, limit, windowSeconds, clock),
      revokeSession: () => Promise.resolve(),
      isSessionRevoked: () => Promise.resolve(false),
      ping: () => Promise.resolve(),
      checkEviction: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
    const rule = { limit: 30, windowSeconds: 60 };
    let allowed = 0;
    for (let index = 0; index < 2000; index++) {
      allowed += await limitRatePerAddress(getClientState(), "qr-create", addressIn(0x70, index), [rule]).then(
        () => 1,
        (error: unknown) => {
          if (error instanceof RateLimitedError) return 0;
          throw error;
        },
      );
    }
    expect(allowed).toBe(16 * rule.limit);
  });
});
