import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { projectRoot, testApp, testDistDir } from "../test-support/app-server";

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

// The test build ran with the test app's secrets in its environment (scripts/build-for-tests.mjs).
test("the production client bundle holds no secret", () => {
  const clientFiles = filesUnder(path.join(projectRoot, testDistDir, "static")).filter((file) => file.endsWith(".js"));
  const sources = clientFiles.map((file) => readFileSync(file, "utf8"));

  // Proof that this is the bundle the browser runs: the login page's own words are in it.
  expect(sources.some((source) => source.includes("Get a new code"))).toBe(true);
  for (const secret of [testApp.secret, testApp.nextAuthSecret]) {
    expect(sources.filter((source) => source.includes(secret))).toHaveLength(0);
  }
});
