import { spawn } from "node:child_process";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { projectRoot, testApp } from "@/test-support/app-server";
import { tempDirs } from "@/test-support/temp-dirs";

const tempDataDir = tempDirs("qr-login-without-redis-");

/**
 * `redis` is an optional package of the registry items: a host app that has not installed it
 * runs the QR login client (and the provider's SQLite store) as long as REDIS_URL is unset, and
 * with REDIS_URL set is refused at start with what to do. Played by a child process in which
 * "redis" resolves to nothing (test-support/without-redis-hook.mjs), in production.
 */
async function runWithoutRedis(env: Record<string, string>): Promise<{ exitCode: number | null; output: string; result: Record<string, unknown> }> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", path.join(projectRoot, "test-support/without-redis-hook.mjs"), "--import", "tsx", path.join(projectRoot, "test-support/start-without-redis.ts")],
    {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        LOG_FORMAT: "json",
        AUTHING_APP_ID: testApp.id,
        AUTHING_APP_SECRET: testApp.secret,
        NEXTAUTH_SECRET: testApp.nextAuthSecret,
        NEXTAUTH_URL: "https://qr.example.com",
        DATA_DIR: tempDataDir(),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = /^RESULT (.+)$/m.exec(output)?.[1];
  if (!line) throw new Error(`the child printed no RESULT line:\n${output}`);
  return { exitCode, output, result: JSON.parse(line) as Record<string, unknown> };
}

describe("a host app without the redis package", () => {
  it("starts and keeps the client's state in memory, and the provider's store in SQLite, when REDIS_URL is unset", async () => {
    const { exitCode, output, result } = await runWithoutRedis({});
    expect(result).toEqual({ redisResolvable: false, store: "SqliteStore", clientState: "MemoryClientState", allowed: true });
    expect(output).toContain("STARTED");
    expect(exitCode).toBe(0);
  });

  it("with REDIS_URL set, is refused at start with the package, the variable and the command to add it", async () => {
    const { exitCode, output, result } = await runWithoutRedis({ REDIS_URL: "redis://127.0.0.1:1" });
    const problem = "REDIS_URL is set, which needs the package redis: add it to the app (npm install redis) or unset REDIS_URL";
    const refusal = `ConfigError: Invalid configuration:\n  - ${problem}`;
    // Opening either, where something opens one before the start checks, is the same refusal.
    expect(result).toEqual({ redisResolvable: false, storeError: refusal, clientStateError: refusal });
    expect(output).toContain(problem);
    expect(output).toContain('"event":"config.invalid"');
    expect(output).not.toContain("STARTED");
    expect(exitCode).toBe(1);
  });
});
