import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { parseSetCookie, TestBrowser, TestPhone } from "@/test-support/test-browser";
import { sharedAppServer } from "@/test-support/shared-app-server";

import { signin } from "@/test-support/test-client";

// A DATA_DIR that does not exist yet: the server makes it, and must make it private.
const parent = mkdtempSync(path.join(os.tmpdir(), "qr-login-perms-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe("a production server's defaults", () => {
  const server = sharedAppServer({ DATA_DIR: path.join(parent, "data") });

  it("sends a nonce CSP on every page, different each time, and puts the nonce on every script", async () => {
    for (const page of ["/login", "/m", "/m/scan/AAAAAAAAAAAAAAAAAAAAAA", "/no-such-page"]) {
      const response = await fetch(`${server.origin}${page}`, { redirect: "manual" });
      const policy = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      expect(nonce, page).toBeTruthy();
      expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain(`style-src 'self' 'nonce-${nonce}';`);
      expect(policy).not.toMatch(/unsafe-(inline|eval)/);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const script of scripts) expect(script, page).toContain(`nonce="${nonce}"`);
    }
    const again = (await fetch(`${server.origin}/login`)).headers.get("content-security-policy");
    const first = (await fetch(`${server.origin}/login`)).headers.get("content-security-policy");
    expect(again).not.toBe(first);
    // NEXTAUTH_URL is http here: no HSTS.
    expect((await fetch(`${server.origin}/login`)).headers.get("strict-transport-security")).toBeNull();
  });

  it("makes the session and binding cookies Secure, the binding one __Host-", async () => {
    const browser = new TestBrowser(server.origin);
    const login = await browser.fetch("/login");
    const binding = login.headers.getSetCookie().map(parseSetCookie).find((cookie) => cookie.name === "__Host-qr-login-binding");
    expect(binding?.attributes).toMatchObject({ secure: true, path: "/", httponly: true });
    const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(await login.text())?.[1];
    const phone = new TestPhone(server.origin);
    await phone.signIn();
    await phone.approve(qrcodeId!);
    const callback = await browser.signInWithQrCode(qrcodeId!);
    const session = callback.headers.getSetCookie().map(parseSetCookie).find((cookie) => cookie.name === "__Secure-next-auth.session-token");
    expect(session?.attributes).toMatchObject({ secure: true, httponly: true });
  });

  it("keeps the data folder private (0700) and the SQLite files readable by their owner only (0600)", async () => {
    expect(statSync(server.dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(server.dataDir).filter((file) => file.startsWith("provider.sqlite"));
    expect(files).toContain("provider.sqlite");
    for (const file of files) expect(statSync(path.join(server.dataDir, file)).mode & 0o777, file).toBe(0o600);
  });

  it("warns at start when demo users are seeded", () => {
    expect(server.output()).toContain("SEED_DEMO_USERS is true");
  });
});

describe("a production server with SEED_DEMO_USERS unset", () => {
  const server = sharedAppServer({ SEED_DEMO_USERS: "" });

  it("has no demo users", async () => {
    await expect(signin(server, "alice", "client_secret_post")).rejects.toThrow(/signin failed/);
    expect(server.output()).not.toContain("SEED_DEMO_USERS is true");
  });
});
