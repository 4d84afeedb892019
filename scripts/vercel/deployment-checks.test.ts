import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { findDeploymentProblems, readDeployedFunctions, type DeploymentExpectations } from "./deployment-checks";
import { findHeldStatusRoutes } from "./held-status-routes";

let projectDir: string;
const outputDir = () => path.join(projectDir, ".vercel/output");

beforeEach(() => {
  projectDir = mkdtempSync(path.join(os.tmpdir(), "vercel-output-"));
});
afterEach(() => rmSync(projectDir, { recursive: true, force: true }));

function writeFile(relative: string, content: string | number) {
  const file = path.join(projectDir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof content === "number" ? Buffer.alloc(content) : content);
}

/** A function folder as `vercel build` writes it: its config, a launcher, traced files by reference. */
function writeFunction(name: string, config: { runtime?: string; maxDuration?: number; traced?: Record<string, number> }) {
  const traced = config.traced ?? {};
  for (const [file, size] of Object.entries(traced)) writeFile(file, size);
  writeFile(`.vercel/output/functions/${name}.func/___next_launcher.cjs`, 1000);
  const filePathMap = Object.fromEntries(Object.keys(traced).map((file) => [file, file]));
  writeFile(`.vercel/output/functions/${name}.func/.vc-config.json`, JSON.stringify({ runtime: config.runtime ?? "nodejs22.x", maxDuration: config.maxDuration, filePathMap }));
}

function linkRoute(route: string, to: string) {
  const link = path.join(outputDir(), "functions", `${route}.func`);
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(path.relative(path.dirname(link), path.join(outputDir(), "functions", `${to}.func`)), link);
}

const redisFiles = { "node_modules/redis/package.json": 100, "node_modules/redis/dist/index.js": 5000 };
const expectations: DeploymentExpectations = {
  heldStatusRoutes: ["/api/qr-login/status"],
  longestWaitSeconds: 25,
  nodeMajor: 22,
  sizeLimitBytes: 1_000_000,
  storeRoutes: ["/api/qr-login/status", "/api/qr-login"],
  storeFiles: Object.keys(redisFiles),
  unusedFolders: ["node_modules/better-sqlite3/"],
};

/** A Build Output that meets every expectation: two functions, the status route on its own. */
function writeSoundOutput() {
  writeFunction("api/qr-login/status", { maxDuration: 60, traced: { ...redisFiles, "node_modules/zod/index.js": 20_000 } });
  writeFunction("api/qr-login", { traced: redisFiles });
  linkRoute("login", "api/qr-login");
}

describe("the Build Output checks", () => {
  it("read functions once each, with every route that shares them, and their size with traced files", () => {
    writeSoundOutput();
    const functions = readDeployedFunctions(outputDir(), projectDir);
    expect(functions.map((fn) => [fn.name, fn.routes.sort()])).toEqual([
      ["api/qr-login/status.func", ["/api/qr-login/status"]],
      ["api/qr-login.func", ["/api/qr-login", "/login"]],
    ]);
    expect(functions[0]!.sizeBytes).toBeGreaterThan(25_100);
    expect(findDeploymentProblems(functions, expectations)).toEqual([]);
  });

  it("find a held route without maxDuration, or with one no longer than the longest wait", () => {
    writeFunction("api/qr-login/status", { traced: redisFiles });
    writeFunction("api/qr-login", { maxDuration: 25, traced: redisFiles });
    const problems = findDeploymentProblems(readDeployedFunctions(outputDir(), projectDir), {
      ...expectations,
      heldStatusRoutes: ["/api/qr-login/status", "/api/qr-login", "/api/v3/get-qrcode-status"],
    });
    expect(problems).toEqual([
      "/api/qr-login/status holds status requests for up to 25 s but declares no maxDuration",
      "/api/qr-login holds status requests for up to 25 s but its maxDuration is 25 s",
      "/api/v3/get-qrcode-status holds status requests but has no function",
    ]);
  });

  it("find a function over the size limit, on another Node major, or lacking a traced file", () => {
    writeSoundOutput();
    writeFunction("m", { runtime: "nodejs24.x", traced: { "node_modules/big/blob.bin": 2_000_000 } });
    rmSync(path.join(projectDir, "node_modules/zod/index.js"));
    const problems = findDeploymentProblems(readDeployedFunctions(outputDir(), projectDir), expectations);
    expect(problems).toEqual([
      "m.func runs on nodejs24.x, not nodejs22.x",
      "m.func is 1.9 MB, over the 1.0 MB limit",
      "api/qr-login/status.func lists node_modules/zod/index.js, which is not on disk",
    ]);
  });

  it("find a store route without the Redis client, and a function carrying the SQLite addon", () => {
    writeFunction("api/qr-login/status", { maxDuration: 60, traced: { "node_modules/redis/package.json": 100 } });
    writeFunction("api/qr-login", { traced: { ...redisFiles, "node_modules/better-sqlite3/build/Release/better_sqlite3.node": 2000 } });
    const problems = findDeploymentProblems(readDeployedFunctions(outputDir(), projectDir), expectations);
    expect(problems).toEqual([
      "api/qr-login.func carries node_modules/better-sqlite3/, which never loads on Vercel",
      "/api/qr-login/status (api/qr-login/status.func) opens the store but lacks 1 of the 2 files the Redis client loads: node_modules/redis/dist/index.js",
    ]);
  });
});

describe("the held status routes", () => {
  it("are the routes that parse the waiting query, and their re-exports", () => {
    writeFile("app/(provider)/api/v3/get-qrcode-status/route.ts", 'import { qrCodeStatusQuerySchema } from "@/lib/qr-login/client/authing/schemas";');
    writeFile("app/(provider)/api/v3/check-qrcode-status/route.ts", 'export { GET, POST } from "../get-qrcode-status/route";');
    writeFile("app/(qr-login)/api/qr-login/route.ts", 'export { GET } from "../health/route";');
    writeFile("app/(qr-login)/api/health/route.ts", "export const GET = () => new Response();");
    expect(findHeldStatusRoutes(path.join(projectDir, "app"))).toEqual(["/api/v3/check-qrcode-status", "/api/v3/get-qrcode-status"]);
  });

  it("follow a route file's re-export into the module its layer keeps the handler in", () => {
    writeFile("lib/qr-login/client/routes/qr-code-status.ts", 'import { qrCodeStatusQuerySchema } from "@/lib/qr-login/client/authing/schemas";');
    writeFile("lib/qr-login/client/routes/create-qr-code.ts", "export const POST = () => new Response();");
    writeFile("app/(qr-login)/api/qr-login/status/route.ts", 'export { GET } from "@/lib/qr-login/client/routes/qr-code-status";\nexport const maxDuration = 60;');
    writeFile("app/(qr-login)/api/qr-login/route.ts", 'export { POST } from "@/lib/qr-login/client/routes/create-qr-code";');
    expect(findHeldStatusRoutes(path.join(projectDir, "app"))).toEqual(["/api/qr-login/status"]);
  });
});
