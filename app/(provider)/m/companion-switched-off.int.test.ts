import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { projectRoot, testDistDir } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

describe("the companion pages against real Authing (AUTHING_APP_HOST set)", () => {
  // Nothing listens on port 9: the companion must not even try to reach the provider.
  const server = sharedAppServer({ AUTHING_APP_HOST: "http://127.0.0.1:9" });

  it("answer 404, with the not-found page, on every path", async () => {
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
