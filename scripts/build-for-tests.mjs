// One production build shared by the integration tests (Vitest) and the e2e tests (Playwright).
// Type checking already ran (`npm run typecheck`), so the build skips it. The build sees the test
// app's real secrets, so the e2e bundle check would find them if any client code ever inlined one.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const testApp = JSON.parse(readFileSync(new URL("../test-support/test-app.json", import.meta.url), "utf8"));
const distDir = process.env.NEXT_DIST_DIR ?? ".next-test";
const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: distDir,
    NEXT_SKIP_TYPECHECK: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTHING_APP_ID: testApp.id,
    AUTHING_APP_SECRET: testApp.secret,
    NEXTAUTH_SECRET: testApp.nextAuthSecret,
  },
});
if (result.status === 0) {
  // The mark of a build made for the tests: only it accepts TEST_CLOCK_FILE (lib/test-clock.ts, TEST_BUILD_MARKER).
  writeFileSync(path.join(distDir, "TEST_BUILD"), "made by npm run test:build\n");
  // The standalone server made runnable once, as a deployment does (test-support/app-server.ts,
  // standaloneServer): the static assets and public/ next to its server.js.
  const standalone = path.join(distDir, "standalone");
  cpSync(path.join(distDir, "static"), path.join(standalone, distDir, "static"), { recursive: true, force: true });
  if (existsSync("public")) cpSync("public", path.join(standalone, "public"), { recursive: true, force: true });
}
process.exit(result.status ?? 1);
