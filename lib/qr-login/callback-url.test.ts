import { describe, expect, it } from "vitest";

import { safeCallbackPath } from "@/lib/qr-login/callback-url";

describe("safeCallbackPath", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeCallbackPath("/account")).toBe("/account");
    expect(safeCallbackPath("/account?tab=profile#top")).toBe("/account?tab=profile#top");
  });

  it("refuses other sites, however spelled, and falls back", () => {
    for (const value of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "/%0a/x\n", "account", ""]) {
      expect(safeCallbackPath(value)).toBe("/");
    }
    expect(safeCallbackPath(undefined, "/home")).toBe("/home");
    expect(safeCallbackPath(["/account"])).toBe("/");
  });

  it("never sends the user back to the login page or to an API", () => {
    expect(safeCallbackPath("/login?callbackUrl=/login")).toBe("/");
    expect(safeCallbackPath("/api/auth/signout")).toBe("/");
  });
});
