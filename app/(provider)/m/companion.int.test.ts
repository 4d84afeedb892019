import { describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

const server = sharedAppServer();

async function providerStatus(qrcodeId: string): Promise<string> {
  const response = await fetch(`${server.origin}/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, {
    headers: { "x-authing-app-id": testApp.id },
  });
  return ((await response.json()) as { data: { status: string } }).data.status;
}

describe("the companion phone app", () => {
  it("offers a sign-in form with the demo accounts", async () => {
    const html = await (await fetch(`${server.origin}/m`)).text();
    expect(html).toMatch(/<label[^>]*for="([^"]+)"[^>]*>Username<\/label>\s*<input(?=[^>]*id="\1")(?=[^>]*name="username")[^>]*>/);
    expect(html).toMatch(/<label[^>]*for="([^"]+)"[^>]*>Password<\/label>\s*<input(?=[^>]*id="\1")(?=[^>]*type="password")[^>]*>/);
    expect(html).toContain(">Sign in</button>");
    expect(html).toContain("scan-me-in");
    expect(html).toContain("alice");
    // On http://127.0.0.1 browsers refuse passkeys: the configuration has them off, and nothing of them shows.
    expect(html).not.toContain("Sign in with a passkey");
    expect(html).not.toContain("webauthn");
  });

  it("speaks the phone's language, unless the phone chose another with the switcher", async () => {
    const chinese = await (await fetch(`${server.origin}/m`, { headers: { "accept-language": "zh-CN,zh;q=0.9,en;q=0.5" } })).text();
    expect(chinese).toContain('<html lang="zh-CN"');
    expect(chinese).toMatch(/<label[^>]*for="([^"]+)"[^>]*>用户名<\/label>\s*<input(?=[^>]*id="\1")(?=[^>]*name="username")[^>]*>/);
    expect(chinese).toContain("<title>配套 App</title>");

    const chosen = await (
      await fetch(`${server.origin}/m`, { headers: { "accept-language": "zh-CN", cookie: "locale=en" } })
    ).text();
    expect(chosen).toContain('<html lang="en"');
    expect(chosen).toMatch(/<label[^>]*>Username<\/label>/);

    const unknown = await (await fetch(`${server.origin}/m`, { headers: { "accept-language": "zh-CN", cookie: "locale=fr" } })).text();
    expect(unknown).toContain('<html lang="zh-CN"');
  });

  it("can be framed by no site, and sends no referrer elsewhere", async () => {
    for (const path of ["/m", "/m/scan/AAAAAAAAAAAAAAAAAAAAAA", "/login"]) {
      const response = await fetch(`${server.origin}${path}`, { redirect: "manual" });
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
    }
  });

  it("sends a phone that is not signed in to sign in first, then back to the code", async () => {
    const response = await fetch(`${server.origin}/m/scan/AAAAAAAAAAAAAAAAAAAAAA`, { redirect: "manual" });
    // The companion renders inside <Suspense> (so it builds under Cache Components too): a redirect
    // decided after the page has begun streaming is Next's refresh tag, which the router follows at once.
    const streamed = response.status === 200 ? /<meta id="__next-page-redirect" http-equiv="refresh" content="\d;url=([^"]+)"/.exec(await response.text())?.[1] : undefined;
    if (!streamed) expect(response.status).toBe(307);
    const location = new URL((streamed ?? response.headers.get("location")!).replaceAll("&amp;", "&"), server.origin);
    expect(location.pathname).toBe("/m");
    expect(location.searchParams.get("next")).toBe("/m/scan/AAAAAAAAAAAAAAAAAAAAAA");
  });

  it("changes nothing by rendering a code's page (link unfurlers GET it)", async () => {
    const desktop = new TestBrowser(server.origin);
    const { qrcodeId } = (await desktop.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST" })).body;
    const phone = new TestPhone(server.origin);
    await phone.signIn("alice");

    const page = await fetch(`${server.origin}/m/scan/${qrcodeId}`, {
      headers: { cookie: `qr-companion-token=${phone.accessToken}` },
      redirect: "manual",
    });
    expect(page.status).toBe(200);
    // It says what asks and waits for a tap: whoever made the code learns nothing yet.
    const html = await page.text();
    expect(html).toContain("A sign-in code");
    expect(html).toContain("Continue");
    expect(await providerStatus(qrcodeId)).toBe("PENDING");
  });

  it("says plainly when a link is not a code, without an error page", async () => {
    const response = await fetch(`${server.origin}/m/scan/not%20a%20code!`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Not a sign-in code");
  });
});
