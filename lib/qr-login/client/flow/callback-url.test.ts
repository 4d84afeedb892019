import { describe, expect, it } from "vitest";

import { safeCallbackPath } from "@/lib/qr-login/client/flow/callback-url";
import { QR_LOGIN_PATH } from "@/lib/qr-login/client/flow/login-path";
import { openRedirectSpellings } from "@/test-support/open-redirect-spellings";

/** Spellings that look like tricks but stay on this site: kept, as the normalised path. */
const sameSiteTricks: [string, string][] = [
  ["/;@evil.example", "/;@evil.example"],
  ["/?//evil.example", "/?//evil.example"],
  ["/#//evil.example", "/#//evil.example"],
  ["/account?next=//evil.example", "/account?next=//evil.example"],
  ["/account?next=https%3A%2F%2Fevil.example", "/account?next=https%3A%2F%2Fevil.example"],
  ["/javascript:alert(1)//", "/javascript:alert(1)//"],
  ["/\u3002evil.example", "/%E3%80%82evil.example"],
  ["/a/../account", "/account"],
  ["/./account", "/account"],
];

describe("safeCallbackPath", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeCallbackPath("/account")).toBe("/account");
    expect(safeCallbackPath("/account?tab=profile#top")).toBe("/account?tab=profile#top");
    expect(safeCallbackPath("/examples/qr-login")).toBe("/examples/qr-login");
  });

  it.each(openRedirectSpellings)("refuses %j: the answer is the fallback", (spelling) => {
    expect(safeCallbackPath(spelling)).toBe("/");
    expect(safeCallbackPath(spelling, "/", "http://app.example")).toBe("/");
  });

  it.each(sameSiteTricks)("keeps %j on this site as %j", (spelling, expected) => {
    expect(safeCallbackPath(spelling)).toBe(expected);
  });

  it("answers only paths a browser resolves on this origin, to themselves", () => {
    const origin = "https://app.example";
    for (const spelling of [...openRedirectSpellings, ...sameSiteTricks.map(([spelling]) => spelling)]) {
      const path = safeCallbackPath(spelling);
      const landed = new URL(path, origin);
      expect(landed.origin).toBe(origin);
      expect(`${landed.pathname}${landed.search}${landed.hash}`).toBe(path);
    }
  });

  it("with an origin, accepts an absolute URL on it as its path, and no other origin", () => {
    const origin = "http://app.example:3000";
    expect(safeCallbackPath("http://app.example:3000/account?x=1", "/", origin)).toBe("/account?x=1");
    expect(safeCallbackPath("http://app.example:3000", "/", origin)).toBe("/");
    for (const other of ["http://app.example/account", "https://app.example:3000/account", "http://app.example:3000.evil.example/", "http://evil.example:3000/"]) {
      expect(safeCallbackPath(other, "/", origin)).toBe("/");
    }
    expect(safeCallbackPath("http://app.example:3000/..//evil.example", "/", origin)).toBe("/");
    // Without an origin, absolute URLs are never destinations.
    expect(safeCallbackPath("http://app.example:3000/account")).toBe("/");
  });

  it("falls back for non-strings, empty and overlong values", () => {
    expect(safeCallbackPath(undefined, "/home")).toBe("/home");
    expect(safeCallbackPath(["/account"])).toBe("/");
    expect(safeCallbackPath("")).toBe("/");
    expect(safeCallbackPath(`/${"a".repeat(600)}`)).toBe("/");
  });

  it("never sends the user back to the login page or to an API", () => {
    for (const value of ["/login", "/login/", "/login?callbackUrl=/login", "/a/../login", "/api/auth/signout", "/api", "/./api/qr-login"]) {
      expect(safeCallbackPath(value)).toBe("/");
    }
  });

  it("reads the login page's path from the one setting NextAuth's pages and the proxy read", () => {
    expect(safeCallbackPath(QR_LOGIN_PATH)).toBe("/");
    expect(safeCallbackPath(`${QR_LOGIN_PATH}?again=1`)).toBe("/");
    expect(safeCallbackPath(`${QR_LOGIN_PATH}-help`)).toBe(`${QR_LOGIN_PATH}-help`);
  });
});
