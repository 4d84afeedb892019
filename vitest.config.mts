import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

const testFiles = ["lib", "app", "components", "test-support", "scripts/vercel"].flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.test\.tsx?$/.test(file))
    .map((file) => path.posix.join(dir, file.split(path.sep).join("/"))),
);

/**
 * A file's name says its project: `*.int.test.ts` is an integration test, one that starts a
 * process (a production server of the test build, a Redis server, or a child of its own); the
 * rest are unit tests: no build, no server, no browser (`npm run test:unit`).
 */
const integration = testFiles.filter((file) => /\.int\.test\.tsx?$/.test(file));
const unit = testFiles.filter((file) => !integration.includes(file));

// One test file per core (Vitest's own default leaves one core free: on two cores, one file at a
// time). Integration tests wait on their servers much of the time; more than one file per core
// measured slower here, and timed out on a busy two-core machine.
const cores = os.availableParallelism();

// `npm test` runs the integration tests side by side with Playwright, so their servers share the
// cores with browsers: a test that starts or restarts servers (up to 60 s each, app-server.ts) gets
// two minutes before it counts as hung, rather than the unit tests' 30 s.
const integrationTimeout = 120_000;

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React's server bundles; tests run server code directly.
      "server-only": path.join(root, "test-support/server-only.ts"),
    },
  },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: cores,
    projects: [
      // Worker threads rather than child processes: a seventh less CPU for the unit tests, which
      // start no process and leave the working directory alone (a thread may not change it).
      { extends: true, test: { name: "unit", include: unit, pool: "threads" } },
      {
        extends: true,
        test: {
          name: "integration",
          include: integration,
          // The files one worker runs share its loaded modules rather than each loading them anew
          // (a seventh less CPU): they reach their servers over HTTP, and what they import in
          // process holds no configuration of its own (no file stubs the environment or mocks a
          // module: test-support/test-projects.test.ts). Spies are put back after every test.
          isolate: false,
          restoreMocks: true,
          globalSetup: ["test-support/global-setup.ts"],
          testTimeout: integrationTimeout,
          hookTimeout: integrationTimeout,
        },
      },
    ],
  },
});
