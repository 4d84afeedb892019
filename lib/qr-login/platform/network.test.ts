import { describe, expect, it } from "vitest";

import { isSameNetwork, rateLimitKeyOf, rateLimitNetworksOf } from "@/lib/qr-login/platform/network";

describe("isSameNetwork", () => {
  it("compares IPv4 addresses by their /24", () => {
    expect(isSameNetwork("192.168.1.20", "192.168.1.201")).toBe(true);
    expect(isSameNetwork("192.168.1.20", "192.168.2.20")).toBe(false);
    expect(isSameNetwork("203.0.113.9", "198.51.100.9")).toBe(false);
  });

  it("compares IPv6 addresses by their /64, however they are written", () => {
    expect(isSameNetwork("2001:db8:1:2::10", "2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd")).toBe(true);
    expect(isSameNetwork("2001:db8:1:2::10", "2001:db8:1:3::10")).toBe(false);
  });

  it("treats loopback as one network and unwraps IPv4-mapped IPv6", () => {
    expect(isSameNetwork("127.0.0.1", "::1")).toBe(true);
    expect(isSameNetwork("::ffff:10.0.0.7", "10.0.0.99")).toBe(true);
    expect(isSameNetwork("::ffff:10.0.0.7", "10.0.1.99")).toBe(false);
    expect(isSameNetwork("10.0.0.1", "2001:db8::1")).toBe(false);
  });

  it("says nothing when an address is unknown or not an address", () => {
    expect(isSameNetwork(undefined, "10.0.0.1")).toBeUndefined();
    expect(isSameNetwork("10.0.0.1", "not-an-ip")).toBeUndefined();
  });
});

describe("rateLimitKeyOf", () => {
  it("counts IPv4 per address and IPv6 per /64, however it is written", () => {
    expect(rateLimitKeyOf("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKeyOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKeyOf("2001:db8:1:2::10")).toBe(rateLimitKeyOf("2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd"));
    expect(rateLimitKeyOf("2001:db8:1:2::10")).not.toBe(rateLimitKeyOf("2001:db8:1:3::10"));
    expect(rateLimitKeyOf(undefined)).toBeUndefined();
    expect(rateLimitKeyOf("nope")).toBeUndefined();
  });
});

describe("rateLimitNetworksOf", () => {
  it("counts IPv6 in its /64, /56 and /48 with budgets 1, 4 and 16 times an address's; IPv4 per address alone", () => {
    expect(rateLimitNetworksOf("2001:db8:abcd:12ff:1::9")).toEqual([
      { key: "2001:db8:abcd:12ff::/64", factor: 1 },
      { key: "2001:db8:abcd:1200::/56", factor: 4 },
      { key: "2001:db8:abcd::/48", factor: 16 },
    ]);
    // Two /64s of one /56 share the /56 and the /48; another /56 of the /48 shares only the /48.
    const [a64, a56, a48] = rateLimitNetworksOf("2001:db8:abcd:1201::1")!;
    expect(a64!.key).not.toBe("2001:db8:abcd:12ff::/64");
    expect([a56!.key, a48!.key]).toEqual(["2001:db8:abcd:1200::/56", "2001:db8:abcd::/48"]);
    expect(rateLimitNetworksOf("2001:0db8:abcd:1300::1")!.map((network) => network.key)).toEqual([
      "2001:db8:abcd:1300::/64",
      "2001:db8:abcd:1300::/56",
      "2001:db8:abcd::/48",
    ]);
    expect(rateLimitNetworksOf("::ffff:203.0.113.7")).toEqual([{ key: "203.0.113.7", factor: 1 }]);
    expect(rateLimitNetworksOf(undefined)).toBeUndefined();
  });
});
