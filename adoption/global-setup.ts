import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

import { projectRoot, testDistDir } from "../test-support/app-server";

/** The starter's production build (the provider of the first case): `npm test` makes it; made here if absent. */
export default function setup(): void {
  if (existsSync(path.join(projectRoot, testDistDir, "BUILD_ID")) && process.env.ADOPTION_REBUILD !== "1") return;
  const built = spawnSync("npm", ["run", "test:build"], { cwd: projectRoot, stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run test:build failed");
}
