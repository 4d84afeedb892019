import { ClientClosedError, ClientOfflineError, ConnectionTimeoutError, ReconnectStrategyError, SocketClosedUnexpectedlyError, SocketTimeoutError, TimeoutError } from "redis";
import { describe, expect, it } from "vitest";

import { isStoreUnavailable, StoreUnavailableError } from "./store-unavailable";

describe("isStoreUnavailable", () => {
  it("knows node-redis's no-connection errors by their class names, and a subclass of one", () => {
    const errors = [
      new ClientClosedError(),
      new ClientOfflineError(),
      new ConnectionTimeoutError(),
      new SocketClosedUnexpectedlyError(),
      new SocketTimeoutError(100),
      new TimeoutError(),
      new ReconnectStrategyError(new Error("gave up"), new Error("cause")),
      new StoreUnavailableError("Redis at 127.0.0.1:6379 is unreachable"),
      new (class AfterUpgrade extends ClientClosedError {})(),
    ];
    for (const error of errors) expect(isStoreUnavailable(error), error.constructor.name).toBe(true);
  });

  it("is false for anything else", () => {
    for (const error of [new Error("boom"), new TypeError("x"), "ClientClosedError", { name: "ClientClosedError" }, undefined]) {
      expect(isStoreUnavailable(error)).toBe(false);
    }
  });
});
