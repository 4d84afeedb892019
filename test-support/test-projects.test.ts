import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const testFiles = ["lib", "app", "components", "test-support", "scripts/vercel"].flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .map((file) => path.posix.join(dir, file.split(path.sep).join("/")))
    .filter((file) => /\.test\.tsx?$/.test(file)),
);

/** An integration test's name (vitest.config.mts tells the projects apart by it). */
const integrationName = /\.int\.test\.tsx?$/;

/** What makes a test an integration test: it starts a server of the test build, a Redis, or a child process. */
const startsAProcess = /test-support\/(app-server|shared-app-server|redis-server|shared-redis-server)"|\bspawn\(/;

describe("a test file's name", () => {
  it("says its project: every test that starts a process is named *.int.test.ts, and only those", () => {
    const misnamed = testFiles.filter((file) => startsAProcess.test(readFileSync(path.join(root, file), "utf8")) !== integrationName.test(file));
    expect(testFiles.length).toBeGreaterThan(50);
    expect(misnamed).toEqual([]);
  });
});

describe("an integration test file", () => {
  // Integration files share their worker's modules (vitest.config.mts, isolate: false): what one
  // file changed in a module another would meet.
  it("neither stubs the environment or globals nor mocks a module", () => {
    const integration = testFiles.filter((file) => integrationName.test(file));
    const changing = integration.filter((file) => /\bvi\.(stubEnv|stubGlobal|mock|doMock)\(|process\.env\.\w+\s*=[^=]/.test(readFileSync(path.join(root, file), "utf8")));
    expect(integration.length).toBeGreaterThan(30);
    expect(changing).toEqual([]);
  });
});
