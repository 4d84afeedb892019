import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { isCrossSiteEmbed } from "@/lib/qr-login/client/login-visit";
import { proxy } from "@/registry/qr-login/proxy";

const fetchMetadata = (site: string, mode: string, dest: string) =>
  new Headers({ "sec-fetch-site": site, "sec-fetch-mode": mode, "sec-fetch-dest": dest });

describe("isCrossSiteEmbed", () => {
  it("is true for another site's <img>, frame, fetch or script, and false for any top-level navigation or a load from this site", () => {
    const cases: [site: string, mode: string, dest: string, embed: boolean][] = [
      ["cross-site", "no-cors", "image", true],
      ["cross-site", "navigate", "iframe", true],
      ["same-site", "navigate", "frame", true],
      ["cross-site", "cors", "empty", true],
      ["cross-site", "no-cors", "script", true],
      ["cross-site", "navigate", "embed", true],
      ["cross-site", "navigate", "document", false],
      ["same-site", "navigate", "document", false],
      ["none", "navigate", "document", false],
      ["same-origin", "navigate", "document", false],
      ["same-origin", "cors", "empty", false],
      ["same-origin", "navigate", "iframe", false],
    ];
    for (const [site, mode, dest, embed] of cases) expect(isCrossSiteEmbed(fetchMetadata(site, mode, dest)), `${site} ${mode} ${dest}`).toBe(embed);
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
