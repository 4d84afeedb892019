import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { freePort, projectRoot, standaloneServer, testApp, testDistDir } from "@/test-support/app-server";
import { tempDirs } from "@/test-support/temp-dirs";

const tempDataDir = tempDirs("qr-login-config-");

describe("npm start in production", () => {
  /** `npm start` of the test build, or with `standalone` the self-contained server.js a deployment runs. */
  async function start(env: Record<string, string>, { standalone = false } = {}): Promise<{ exitCode: number | null; output: string }> {
    const port = await freePort();
    const server = standalone ? standaloneServer() : undefined;
    const child = spawn(
      process.execPath,
      server ? [server.script] : [path.join(projectRoot, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"],
      {
        cwd: server?.cwd ?? projectRoot,
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", NEXT_DIST_DIR: testDistDir, DATA_DIR: tempDataDir(), PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    return { exitCode, output };
  }

  it("refuses to start on Vercel with the embedded provider and no REDIS_URL, and names it", async () => {
    const { exitCode, output } = await start({
      VERCEL: "1",
      AUTHING_APP_ID: "my-app",
      AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa",
      NEXTAUTH_SECRET: "n".repeat(32),
      NEXTAUTH_URL: "https://qr.example.com",
    });
    expect(exitCode).toBe(1);
    expect(output).toContain("REDIS_URL is required on Vercel with the embedded provider");
    expect(output).toContain("Vercel Marketplace");
  });

  it("refuses to start a production build with the test clock: only the test build takes it", async () => {
    // The standalone server is what a deployment runs; it carries no mark of the test build.
    const { exitCode, output } = await start(
      {
        AUTHING_APP_ID: testApp.id,
        AUTHING_APP_SECRET: testApp.secret,
        NEXTAUTH_SECRET: testApp.nextAuthSecret,
        NEXTAUTH_URL: "https://qr.example.com",
        TEST_CLOCK_FILE: path.join(tempDataDir(), "clock"),
      },
      { standalone: true },
    );
    expect(exitCode).toBe(1);
    expect(output).toContain("TEST_CLOCK_FILE is for tests only and is refused in production");
  });

  it("refuses to start without its secrets, and says which", async () => {
    const { exitCode, output } = await start({});
    expect(exitCode).toBe(1);
    for (const name of ["AUTHING_APP_ID", "AUTHING_APP_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL"]) {
      expect(output).toContain(`${name} is required in production`);
    }
  });
});
