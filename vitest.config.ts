import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // `server-only` throws outside React's server bundles; tests run server code directly.
      "server-only": path.resolve(__dirname, "test-support/server-only.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "test-support/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 240_000,
    globalSetup: ["test-support/global-setup.ts"],
    benchmark: { include: ["scripts/bench/**/*.bench.ts"] },
  },
});
