import { describe, expect, it } from "vitest";

import { heldWaitCount, holdWait } from "./provider-rate-limits";

describe("held status waits", () => {
  const limits = { perProcess: 12, perAddress: 2 };

  it("holds at most perAddress per address (IPv6 per /64), unknown addresses ten times that together, perProcess in all", () => {
    const before = heldWaitCount();
    const slots = [holdWait("203.0.113.7", limits), holdWait("203.0.113.7", limits)];
    expect(slots.every(Boolean)).toBe(true);
    expect(holdWait("203.0.113.7", limits)).toBeUndefined();
    expect(holdWait("2001:db8:1:2::a", limits)).toBeDefined();
    expect(holdWait("2001:db8:1:2::b", limits)).toBeDefined();
    expect(holdWait("2001:db8:1:2::c", limits)).toBeUndefined();
    // Unknown addresses (no trusted proxy) share 20 slots, but the process has only 8 left.
    const unknown = Array.from({ length: 9 }, () => holdWait(undefined, limits));
    expect(unknown.filter(Boolean)).toHaveLength(8);
    expect(heldWaitCount() - before).toBe(12);
    expect(holdWait("198.51.100.1", limits)).toBeUndefined();

    // Released slots are free again, once each.
    slots[0]!();
    slots[0]!();
    expect(holdWait("198.51.100.1", limits)).toBeDefined();
    expect(holdWait("203.0.113.7", limits)).toBeUndefined();
  });

  it("holds at most sixteen addresses' worth from one IPv6 /48, however many /64s it uses", () => {
    const limits = { perProcess: 1000, perAddress: 2 };
    const slots = Array.from({ length: 100 }, (_, index) => holdWait(`2001:db8:30:${(index << 8).toString(16)}::1`, limits));
    expect(slots.filter(Boolean)).toHaveLength(32);
    // Four /64s' worth for one /56.
    const home = Array.from({ length: 20 }, (_, index) => holdWait(`2001:db8:31:${index.toString(16)}::1`, limits));
    expect(home.filter(Boolean)).toHaveLength(8);
    for (const release of [...slots, ...home]) release?.();
  });
});
