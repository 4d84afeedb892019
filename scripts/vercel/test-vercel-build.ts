/**
 * `npm run test:vercel`: builds the app as Vercel would (Vercel's own CLI, `vercel build`, offline,
 * with local project settings and production variables), then checks the Build Output
 * (scripts/vercel/deployment-checks.ts). It leaves nothing behind unless run with `--keep`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { MAX_STATUS_WAIT_SECONDS } from "@/lib/qr-login/client/authing/schemas";

import {
  FUNCTION_SIZE_LIMIT_BYTES,
  filesToLoadPackage,
  findDeploymentProblems,
  formatMegabytes,
  readDeployedFunctions,
} from "./deployment-checks";
import { findHeldStatusRoutes, KNOWN_HELD_STATUS_ROUTES } from "./held-status-routes";

// Newer majors do not install from the registry CI uses; exact, so every run builds the same way.
const VERCEL_CLI = "vercel@58.10.0";
// Not `.next` (a developer's build) nor `.next-test` (the tests' build).
const DIST_DIR = ".next-vercel";
// Marks a `.vercel/` this script wrote, which it may remove; a linked project's is left alone.
const LOCAL_PROJECT_ID = "prj_local_test_vercel_build";

/**
 * Routes that open the store besides the held ones: each must carry the Redis client. The proxy's
 * function (`_middleware.func`) too: it reads sign-outs, and runs instrumentation.ts's start.
 */
const OTHER_STORE_ROUTES = ["/api/qr-login", "/api/v3/gene-qrcode", "/api/v3/set-qrcode-status", "/oidc/token", "/api/health/ready", "/_middleware"];

const projectDir = path.resolve(__dirname, "../..");
const settingsDir = path.join(projectDir, ".vercel");
const keep = process.argv.includes("--keep");

let wroteSettings = false;
// `next build` points next-env.d.ts (untracked) at its own dist dir's types, which cleanUp removes.
const nextEnvFile = path.join(projectDir, "next-env.d.ts");
const nextEnvBefore = existsSync(nextEnvFile) ? readFileSync(nextEnvFile, "utf8") : undefined;

function fail(message: string): never {
  throw new Error(message);
}

/**
 * The Node major Vercel runs the app on: engines.node must close its range above ("20.x", or
 * ">=20.19 <23", where Vercel takes the newest major allowed: 22), or Vercel moves the app to
 * each new major by itself.
 */
function pinnedNodeMajor(): number {
  const pkg = JSON.parse(readFileSync(path.join(projectDir, "package.json"), "utf8")) as { engines?: { node?: string } };
  const range = pkg.engines?.node ?? "";
  const match = /^(?:(\d+)\.x|>=[\d.]+ <(\d+))$/.exec(range);
  if (!match) fail(`package.json engines.node is "${range}", not one major ("22.x") or a range closed above (">=20.19 <23")`);
  return match[1] ? Number(match[1]) : Number(match[2]) - 1;
}

function writeLocalProjectSettings() {
  const settingsFile = path.join(settingsDir, "project.json");
  if (existsSync(settingsFile)) {
    const { projectId } = JSON.parse(readFileSync(settingsFile, "utf8")) as { projectId?: string };
    if (projectId !== LOCAL_PROJECT_ID) fail(".vercel/project.json belongs to a linked Vercel project; move .vercel/ aside to run this");
  }
  rmSync(settingsDir, { recursive: true, force: true });
  mkdirSync(settingsDir);
  wroteSettings = true;
  const settings = {
    framework: "nextjs",
    // What a new Vercel project defaults to: engines in package.json must win over it.
    nodeVersion: "24.x",
    // The dependencies are installed already; `vercel build` would run `npm install` again.
    installCommand: "",
    buildCommand: null,
    outputDirectory: DIST_DIR,
    rootDirectory: null,
  };
  writeFileSync(settingsFile, JSON.stringify({ projectId: LOCAL_PROJECT_ID, orgId: "team_local_test_vercel_build", settings }, null, 2));
}

function buildEnvironment(): NodeJS.ProcessEnv {
  const testApp = JSON.parse(readFileSync(path.join(projectDir, "test-support/test-app.json"), "utf8")) as Record<string, string>;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // What Vercel sets on its build machines (next.config.mjs reads it).
    VERCEL: "1",
    NEXT_DIST_DIR: DIST_DIR,
    // `npm test` type-checks with tsc; `next build` need not again.
    NEXT_SKIP_TYPECHECK: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    VERCEL_TELEMETRY_DISABLED: "1",
    NO_UPDATE_NOTIFIER: "1",
    // The production variables of an embedded-provider deployment (test values); Redis is never
    // reached at build time.
    AUTHING_APP_ID: testApp.id,
    AUTHING_APP_SECRET: testApp.secret,
    NEXTAUTH_SECRET: testApp.nextAuthSecret,
    NEXTAUTH_URL: "https://qr-login.example.com",
    REDIS_URL: "redis://redis.invalid:6379",
  };
  delete env.AUTHING_APP_HOST;
  return env;
}

function vercelBuild(): number {
  const started = performance.now();
  const result = spawnSync("npx", ["--yes", VERCEL_CLI, "build", "--prod", "--yes"], { cwd: projectDir, env: buildEnvironment(), stdio: "inherit" });
  if (result.error) fail(`could not run npx ${VERCEL_CLI}: ${result.error.message}`);
  if (result.status !== 0) fail(`vercel build failed (exit ${result.status})`);
  return (performance.now() - started) / 1000;
}

function checkBuildOutput(nodeMajor: number, buildSeconds: number): boolean {
  const functions = readDeployedFunctions(path.join(settingsDir, "output"), projectDir);
  const heldStatusRoutes = findHeldStatusRoutes(path.join(projectDir, "app"));
  const unfound = KNOWN_HELD_STATUS_ROUTES.filter((route) => !heldStatusRoutes.includes(route));
  if (unfound.length > 0) fail(`scripts/vercel/held-status-routes.ts no longer finds ${unfound.join(", ")}: its search has stopped finding the routes that hold status requests`);
  const problems = findDeploymentProblems(functions, {
    heldStatusRoutes,
    longestWaitSeconds: MAX_STATUS_WAIT_SECONDS,
    nodeMajor,
    sizeLimitBytes: FUNCTION_SIZE_LIMIT_BYTES,
    storeRoutes: [...heldStatusRoutes, ...OTHER_STORE_ROUTES],
    storeFiles: filesToLoadPackage("redis", projectDir),
    unusedFolders: ["node_modules/better-sqlite3/"],
  });

  const routeCount = functions.reduce((sum, fn) => sum + fn.routes.length, 0);
  console.log(`\nvercel build: ${buildSeconds.toFixed(0)} s; ${functions.length} functions serving ${routeCount} routes`);
  for (const fn of functions) {
    const duration = fn.maxDuration === undefined ? "" : `, maxDuration ${fn.maxDuration} s`;
    console.log(`  ${formatMegabytes(fn.sizeBytes).padStart(9)}  ${fn.name} (${fn.runtime}${duration}, ${fn.routes.length} routes)`);
  }
  const largest = functions[0];
  if (largest) console.log(`largest function: ${largest.name}, ${formatMegabytes(largest.sizeBytes)} of ${formatMegabytes(FUNCTION_SIZE_LIMIT_BYTES)}`);
  console.log(`held status routes (longest wait ${MAX_STATUS_WAIT_SECONDS} s): ${heldStatusRoutes.join(", ")}`);

  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s) with the Build Output:`);
    for (const problem of problems) console.error(`  - ${problem}`);
    return false;
  }
  console.log("Build Output checks passed.");
  return true;
}

function cleanUp() {
  if (keep) {
    console.log(`kept .vercel/output and ${DIST_DIR}/`);
    return;
  }
  if (wroteSettings) rmSync(settingsDir, { recursive: true, force: true });
  rmSync(path.join(projectDir, DIST_DIR), { recursive: true, force: true });
  if (nextEnvBefore === undefined) rmSync(nextEnvFile, { force: true });
  else writeFileSync(nextEnvFile, nextEnvBefore);
}

let passed = false;
try {
  const nodeMajor = pinnedNodeMajor();
  writeLocalProjectSettings();
  passed = checkBuildOutput(nodeMajor, vercelBuild());
} catch (error) {
  console.error(`test:vercel: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  cleanUp();
}
process.exit(passed ? 0 : 1);
