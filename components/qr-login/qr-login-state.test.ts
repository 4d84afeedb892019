import { describe, expect, it } from "vitest";

import type { BrowserQrCode } from "@/lib/qr-login/client/flow/browser-qr-login";

import { stateOf, type SignIn } from "./qr-login-state";
import { QrLoginRequestError } from "./use-qr-login-status";

const qrCode = { qrcodeId: "code-1" } as BrowserQrCode;
const none = { qrCode, status: undefined, signIn: null, statusError: undefined, createError: null };
const signIn = (state: SignIn["state"], qrcodeId = "code-1"): SignIn => ({ qrcodeId, state });
const error = (httpStatus: number, retryable = true) => new QrLoginRequestError(httpStatus, "trouble", retryable);

describe("the QR login's state table", () => {
  it("follows the code's status while this page has no sign-in for it", () => {
    expect(stateOf(none)).toBe("waiting");
    expect(stateOf({ ...none, status: "PENDING" })).toBe("waiting");
    expect(stateOf({ ...none, status: "SCANNED" })).toBe("scanned");
    expect(stateOf({ ...none, status: "AUTHORIZED" })).toBe("signing-in");
    expect(stateOf({ ...none, status: "CANCELLED" })).toBe("cancelled");
    expect(stateOf({ ...none, status: "EXPIRED" })).toBe("expired");
    expect(stateOf({ ...none, status: "ERROR" })).toBe("failed");
  });

  it("puts this page's sign-in for the code before its status", () => {
    expect(stateOf({ ...none, status: "AUTHORIZED", signIn: signIn("signing-in") })).toBe("signing-in");
    expect(stateOf({ ...none, status: "AUTHORIZED", signIn: signIn("success") })).toBe("success");
    expect(stateOf({ ...none, status: "AUTHORIZED", signIn: signIn("ask-account") })).toBe("ask-account");
    expect(stateOf({ ...none, status: "AUTHORIZED", signIn: signIn("failed") })).toBe("failed");
    expect(stateOf({ ...none, status: "AUTHORIZED", signIn: signIn("unavailable") })).toBe("service-unavailable");
    // A sign-in finishing while the status request fails still says how the sign-in went.
    expect(stateOf({ ...none, status: "AUTHORIZED", signIn: signIn("success"), statusError: error(503) })).toBe("success");
  });

  it("ignores a sign-in for an earlier code once a new one is shown", () => {
    expect(stateOf({ ...none, signIn: signIn("failed", "code-0") })).toBe("waiting");
    expect(stateOf({ ...none, status: "SCANNED", signIn: signIn("success", "code-0") })).toBe("scanned");
  });

  it("says which trouble keeps it from a code, or from the code's status", () => {
    const noCode = { ...none, qrCode: null };
    expect(stateOf(noCode)).toBe("loading");
    expect(stateOf({ ...noCode, createError: error(429) })).toBe("rate-limited");
    expect(stateOf({ ...noCode, createError: error(503) })).toBe("service-unavailable");
    expect(stateOf({ ...noCode, createError: error(0) })).toBe("network-trouble");
    expect(stateOf({ ...none, statusError: error(429) })).toBe("rate-limited");
    expect(stateOf({ ...none, statusError: error(502) })).toBe("service-unavailable");
    expect(stateOf({ ...none, statusError: error(0) })).toBe("network-trouble");
    expect(stateOf({ ...none, statusError: error(400, false) })).toBe("failed");
  });

  it("shows a status that ends the code over a failed status request", () => {
    expect(stateOf({ ...none, status: "EXPIRED", statusError: error(0) })).toBe("expired");
    expect(stateOf({ ...none, status: "CANCELLED", statusError: error(503) })).toBe("cancelled");
    expect(stateOf({ ...none, status: "SCANNED", statusError: error(0) })).toBe("network-trouble");
  });
});
