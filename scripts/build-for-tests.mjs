// One production build shared by the integration tests (Vitest) and the e2e tests (Playwright).
// Type checking already ran (`npm run typecheck`), so the build skips it.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const distDir = process.env.NEXT_DIST_DIR ?? ".next-test";
const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: distDir,
    NEXT_SKIP_TYPECHECK: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
process.exit(result.status ?? 1);
