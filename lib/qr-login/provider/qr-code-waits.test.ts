import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import type { UserRecord } from "@/lib/qr-login/provider/store/types";

import type { ProviderDeps } from "./deps";
import { testProviderSettings } from "../../../test-support/test-settings";
import { geneQrCode, getQrCodeStatus, setQrCodeStatus } from "./qr-codes";
import { startProvider } from "./provider";

let dir: string;
let store: SqliteStore;
let deps: ProviderDeps;
let alice: UserRecord;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "provider-waits-"));
  store = new SqliteStore(path.join(dir, "provider.sqlite"));
  deps = {
    store,
    now: () => Date.now(),
    settings: testProviderSettings(),
  };
  await startProvider(deps, { seed: true });
  alice = (await store.findUserByLogin("alice"))!;
  // Timers and Date are fake from here: waits end when the test moves the clock, not before.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(async () => {
  vi.useRealTimers();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A promise whose settling the test can look at without awaiting it. */
function observe<T>(promise: Promise<T>) {
  const seen: { settled: boolean; value?: T } = { settled: false };
  promise.then((value) => Object.assign(seen, { settled: true, value }));
  return seen;
}

const newCode = () => geneQrCode(deps, { type: "MOBILE_APP" }, "http://laptop:3000").then((code) => code.qrcodeId);
const nothingLeft = () => expect([store.watcherCount(), vi.getTimerCount()]).toEqual([0, 0]);

describe("waiting for a code's status", () => {
  it("answers at once when the status already differs from the one the caller knows", async () => {
    const id = await newCode();
    const answer = await getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "SCANNED" });
    expect(answer.status).toBe("PENDING");
    nothingLeft();
  });

  it("holds the answer until a transition, then answers the new status at once", async () => {
    const id = await newCode();
    const waiting = observe(getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "PENDING" }));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(waiting.settled).toBe(false);
    expect(store.watcherCount()).toBe(1);

    await setQrCodeStatus(deps, { qrcodeId: id, action: "SCAN" }, alice);
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting).toMatchObject({ settled: true, value: { status: "SCANNED", briefUserInfo: { displayName: "Alice Chen" } } });
    nothingLeft();
  });

  it("wakes every waiter of a code with one transition, and no waiter of another code", async () => {
    const id = await newCode();
    const other = await newCode();
    const waiters = Array.from({ length: 50 }, () => observe(getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "PENDING" })));
    const bystander = observe(getQrCodeStatus(deps, other, { waitSeconds: 25, knownStatus: "PENDING" }));
    await vi.advanceTimersByTimeAsync(0);
    await setQrCodeStatus(deps, { qrcodeId: id, action: "SCAN" }, alice);
    await vi.advanceTimersByTimeAsync(0);
    expect(waiters.every((waiter) => waiter.settled && waiter.value?.status === "SCANNED")).toBe(true);
    expect(bystander.settled).toBe(false);
    expect(store.watcherCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(25_000);
    expect(bystander).toMatchObject({ settled: true, value: { status: "PENDING" } });
    nothingLeft();
  });

  it("answers the unchanged status when the wait ends", async () => {
    const id = await newCode();
    const waiting = observe(getQrCodeStatus(deps, id, { waitSeconds: 3, knownStatus: "PENDING" }));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(waiting.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(waiting).toMatchObject({ settled: true, value: { status: "PENDING" } });
    nothingLeft();
  });

  it("answers EXPIRED at the code's expiry, not at the end of the wait", async () => {
    const id = await newCode();
    await vi.advanceTimersByTimeAsync(110_000);
    const waiting = observe(getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "PENDING" }));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(waiting.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(waiting).toMatchObject({ settled: true, value: { status: "EXPIRED" } });
    nothingLeft();
  });

  it("leaves no listener and no timer behind when its caller goes away", async () => {
    const id = await newCode();
    const caller = new AbortController();
    const waiting = observe(getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "PENDING", signal: caller.signal }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect([store.watcherCount(), vi.getTimerCount()]).toEqual([1, 1]);
    caller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting.settled).toBe(true);
    nothingLeft();
  });

  it("ends when an abort lands while it is still subscribing", async () => {
    const id = await newCode();
    const caller = new AbortController();
    const subscribe = store.watchQrCode.bind(store);
    // The caller goes away between the wait's start and its subscription being live.
    vi.spyOn(store, "watchQrCode").mockImplementation(async (codeId, onChange) => {
      caller.abort();
      return subscribe(codeId, onChange);
    });
    const waiting = observe(getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "PENDING", signal: caller.signal }));
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting).toMatchObject({ settled: true, value: { status: "PENDING" } });
    nothingLeft();
  });

  it("answers at once, with a hint to poll, when no slot is left for holding it; a held one frees its slot", async () => {
    const id = await newCode();
    let free = 1;
    const released: number[] = [];
    const admit = () => (free > 0 ? (free--, () => void released.push(++free)) : undefined);
    const held = observe(getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "PENDING", admit }));
    const refused = await getQrCodeStatus(deps, id, { waitSeconds: 25, knownStatus: "PENDING", admit });
    expect(refused).toEqual({ status: "PENDING", pollAfterMs: expect.any(Number) });
    await vi.advanceTimersByTimeAsync(0);
    expect(held.settled).toBe(false);
    await setQrCodeStatus(deps, { qrcodeId: id, action: "SCAN" }, alice);
    await vi.advanceTimersByTimeAsync(0);
    expect(held).toMatchObject({ settled: true, value: { status: "SCANNED" } });
    expect(released).toEqual([1]);
    nothingLeft();
  });
});
