import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { isCrossSiteEmbed } from "@/lib/qr-login/login-visit";
import { proxy } from "@/registry/qr-login/proxy";

const fetchMetadata = (site: string, mode: string, dest: string) =>
  new Headers({ "sec-fetch-site": site, "sec-fetch-mode": mode, "sec-fetch-dest": dest });

describe("isCrossSiteEmbed", () => {
  it("is true for another site's <img>, frame, fetch or script, and false for any top-level navigation or a load from this site", () => {
    for (const [site, mode, dest] of [
      ["cross-site", "no-cors", "image"],
      ["cross-site", "navigate", "iframe"],
      ["same-site", "navigate", "frame"],
      ["cross-site", "cors", "empty"],
      ["cross-site", "no-cors", "script"],
      ["cross-site", "navigate", "embed"],
    ]) {
      expect(isCrossSiteEmbed(fetchMetadata(site!, mode!, dest!)), `${site} ${mode} ${dest}`).toBe(true);
    }
    for (const [site, mode, dest] of [
      ["cross-site", "navigate", "document"],
      ["same-site", "navigate", "document"],
      ["none", "navigate", "document"],
      ["same-origin", "navigate", "document"],
      ["same-origin", "cors", "empty"],
      ["same-origin", "navigate", "iframe"],
    ]) {
      expect(isCrossSiteEmbed(fetchMetadata(site!, mode!, dest!)), `${site} ${mode} ${dest}`).toBe(false);
    }
    // A browser that sends no fetch metadata (or curl) is not refused.
    expect(isCrossSiteEmbed(new Headers())).toBe(false);
  });
});

describe("the registry's proxy (registry/qr-login/proxy.ts, what an app adopting the QR login runs)", () => {
  it("refuses framing of the sign-in page and the companion's pages, and leaves the app's other pages alone", async () => {
    const answer = (path: string, init: ConstructorParameters<typeof NextRequest>[1] = {}) =>
      proxy(new NextRequest(`http://app.example${path}`, init));
    // Requests the QR login's step leaves alone reach no store or provider here.
    for (const path of ["/login", "/m", "/m/scan/0123456789abcdef0123456789abcdef"]) {
      expect((await answer(path, { method: "POST" })).headers.get("x-frame-options"), path).toBe("DENY");
    }
    expect((await answer("/dashboard", { method: "POST" })).headers.get("x-frame-options")).toBeNull();

    // Another site's <img src=".../login">: the page is refused to frames, and no code is made
    // (none could be here: no provider is configured in this test).
    const embedded = await answer("/login", { headers: fetchMetadata("cross-site", "no-cors", "image") });
    expect(embedded.headers.get("x-frame-options")).toBe("DENY");
    expect(embedded.headers.getSetCookie()).toEqual([]);
  });
});
