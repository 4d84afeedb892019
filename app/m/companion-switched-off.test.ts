import { describe, expect, it } from "vitest";

import { useAppServer } from "@/test-support/use-app-server";

describe("the companion pages against real Authing (AUTHING_APP_HOST set)", () => {
  // Nothing listens on port 9: the companion must not even try to reach the provider.
  const server = useAppServer({ AUTHING_APP_HOST: "http://127.0.0.1:9" });

  it("answer 404, with the not-found page, on every path", async () => {
    for (const path of ["/m", "/m/", "/m/scan-code", "/m/scan/0123456789abcdef0123456789abcdef", "/m?next=/m/scan/x"]) {
      const response = await fetch(`${server.origin}${path}`, { redirect: "follow" });
      expect(response.status, path).toBe(404);
      const html = await response.text();
      expect(html, path).not.toContain('name="password"');
      expect(html, path).not.toContain("scan-me-in");
    }
  });

  it("run no server action: a sign-in posted to /m is refused before it reaches a provider", async () => {
    const form = new FormData();
    form.set("username", "alice");
    form.set("password", "scan-me-in");
    const response = await fetch(`${server.origin}/m`, { method: "POST", body: form, redirect: "manual" });
    expect(response.status).toBe(404);
    expect(server.output()).not.toContain("127.0.0.1:9");
  });
});
