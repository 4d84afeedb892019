import path from "node:path";
import { describe, expect, it } from "vitest";

import { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import { startAppServer } from "@/test-support/app-server";
import { tempDirs } from "@/test-support/temp-dirs";

import { demoAccountsWarning, demoAccountsWithPublishedPassword } from "./demo-accounts-check";
import { hashPassword } from "./passwords";
import { seedDemoUsers } from "./users";

const tempDir = tempDirs("demo-accounts-");

describe("demoAccountsWithPublishedPassword", () => {
  it("names the demo accounts that still take the published password, and only those", async () => {
    const store = new SqliteStore(path.join(tempDir(), "provider.sqlite"));
    try {
      expect(await demoAccountsWithPublishedPassword(store)).toEqual([]);
      // A real user who happens to be called bob, with a password of their own.
      await store.insertUser({ id: "b0b", username: "bob", email: null, passwordHash: await hashPassword("bob's own secret"), nickname: null, photo: null, createdAt: 0, updatedAt: 0 });
      await seedDemoUsers({ store, now: Date.now });
      expect(await demoAccountsWithPublishedPassword(store)).toEqual(["alice"]);
      expect(demoAccountsWarning(["alice"])).toMatch(/published demo password for alice.*SEED_DEMO_USERS is not true/);
      expect(demoAccountsWarning([])).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe("a production start after SEED_DEMO_USERS is turned off", () => {
  it("warns that the seeded demo accounts still open with the published password", async () => {
    const DATA_DIR = tempDir();
    const seeded = await startAppServer({ DATA_DIR, SEED_DEMO_USERS: "true" });
    try {
      // The provider's first use seeds the demo users.
      expect((await fetch(`${seeded.origin}/oidc/.well-known/jwks.json`)).status).toBe(200);
    } finally {
      await seeded.stop();
    }
    const unseeded = await startAppServer({ DATA_DIR, SEED_DEMO_USERS: "false" });
    try {
      const warned = () => unseeded.output().includes("still accepts the published demo password for alice and bob");
      for (let tries = 0; tries < 100 && !warned(); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      const line = unseeded
        .output()
        .split("\n")
        .filter((text) => text.startsWith("{"))
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.event === "demo_accounts.open");
      expect(line).toMatchObject({ level: "warn", msg: expect.stringContaining("The store still accepts the published demo password for alice and bob") });
    } finally {
      await unseeded.stop();
    }
  });
});
