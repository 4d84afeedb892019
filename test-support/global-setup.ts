import { existsSync } from "node:fs";
import path from "node:path";

import { projectRoot, testDistDir } from "./app-server";

/** Integration and e2e tests run against the production build that `npm run test:build` makes. */
export default function setup(): void {
  if (!existsSync(path.join(projectRoot, testDistDir, "BUILD_ID"))) {
    throw new Error(`No test build in ${testDistDir}: run \`npm run test:build\` first (npm test does).`);
  }
}
