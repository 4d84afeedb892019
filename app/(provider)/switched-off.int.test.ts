import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { projectRoot, testApp, testDistDir } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { form, v3 } from "@/test-support/test-client";

// Against real Authing (AUTHING_APP_HOST set) the embedded provider and its companion are off.
// Nothing listens on port 9: neither may even try to reach the provider.
describe("the embedded provider and the companion, switched off", () => {
  const server = sharedAppServer({ AUTHING_APP_HOST: "http://127.0.0.1:9" });

  it("answer 404 on every provider route", async () => {
    for (const path of ["/oidc/.well-known/jwks.json", "/oidc/.well-known/openid-configuration", "/api/v3/get-qrcode-status?qrcodeId=abc"]) {
      expect((await fetch(`${server.origin}${path}`, { headers: { "x-authing-app-id": testApp.id } })).status, path).toBe(404);
    }
    expect((await v3(server, "/api/v3/gene-qrcode", { body: { type: "MOBILE_APP" } })).http).toBe(404);
    expect((await v3(server, "/api/v3/gene-qrcode", { method: "GET" })).http).toBe(404);
    expect((await form(server, "/oidc/token", { grant_type: "refresh_token" })).http).toBe(404);
    // Authing's V2 QR API too, in its own envelope, for every method.
    for (const [method, path] of [["POST", "gene"], ["GET", "check?random=abc"], ["GET", "gene"], ["POST", "scanned"], ["POST", "userinfo"]]) {
      const response = await fetch(`${server.origin}/api/v2/qrcode/${path}`, { method, headers: { "x-authing-app-id": testApp.id, "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toEqual({ code: 404, message: "Not found: the embedded provider is switched off", data: null });
    }
  });

  it("answer 404, with the not-found page, on every companion path", async () => {
    for (const path of ["/m", "/m/", "/m/scan-code", "/m/scan/0123456789abcdef0123456789abcdef", "/m?next=/m/scan/x"]) {
      const response = await fetch(`${server.origin}${path}`, { redirect: "follow" });
      expect(response.status, path).toBe(404);
      const html = await response.text();
      expect(html, path).not.toContain('name="password"');
      expect(html, path).not.toContain("scan-me-in");
    }
  });

  it("run no server action: the companion's sign-in action posted to /m is refused before it runs", async () => {
    const manifest = JSON.parse(readFileSync(path.join(projectRoot, testDistDir, "server", "server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { filename: string; exportedName: string }>;
    };
    const actionId = Object.entries(manifest.node).find(([, action]) => action.filename === "app/(provider)/m/actions.ts" && action.exportedName === "signInAction")?.[0];
    expect(actionId).toBeDefined();
    const response = await fetch(`${server.origin}/m`, {
      method: "POST",
      headers: { "next-action": actionId!, "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify([{}, "$undefined"]),
      redirect: "manual",
    });
    // With the embedded provider this call runs the action: 200 and its answer ("Check the form.").
    // Here the proxy sent it to a path with no page, where Next finds no action to run.
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).not.toContain("Check the form");
  });
});
