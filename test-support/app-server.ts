import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import testAppJson from "./test-app.json";

export const projectRoot = path.resolve(__dirname, "..");
export const testDistDir = process.env.NEXT_DIST_DIR ?? ".next-test";
const nextBin = path.join(projectRoot, "node_modules", "next", "dist", "bin", "next");

/** Secrets every test server runs with, so tests can act as the app (e.g. exchange a ticket). */
export const testApp = testAppJson;

export type AppServer = {
  origin: string;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  /** The server's process id, for benchmarks that read its CPU time and memory. */
  pid(): number | undefined;
  /** Stops the process (SIGTERM, then SIGKILL) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Kills the process with SIGKILL (a crash: no shutdown code runs) and starts it again. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Sends SIGTERM (a deploy) and resolves when the process has exited by itself, with how it
   * exited; SIGKILL only if it is still there after `graceMs`.
   */
  terminate(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
  /** Everything the server printed, for assertions that secrets never reach a log line. */
  output(): string;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitUntilServing(origin: string, child: ChildProcess, output: () => string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next exited with ${child.exitCode}:\n${output()}`);
    try {
      // The development server compiles a route on its first request, which can take a while.
      await fetch(`${origin}/oidc/.well-known/openid-configuration`, { signal: AbortSignal.timeout(seconds * 1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`next did not answer within ${seconds} s:\n${output()}`);
}

/** Where `next dev` under test writes, apart from a developer's own `.next`. */
export const devDistDir = ".next-dev-test";

/**
 * The standalone server of the test build (`output: "standalone"`), made runnable by the same
 * step a deployment takes: the static assets and public/ copied next to server.js. The test build
 * copies them once (scripts/build-for-tests.mjs), so that Vitest and Playwright, which run side by
 * side, never copy over files a running server is reading; a build made otherwise is copied here.
 */
export function standaloneServer(): { script: string; cwd: string } {
  const cwd = path.join(projectRoot, testDistDir, "standalone");
  if (!existsSync(path.join(cwd, testDistDir, "static"))) {
    cpSync(path.join(projectRoot, testDistDir, "static"), path.join(cwd, testDistDir, "static"), { recursive: true, force: true });
    if (existsSync(path.join(projectRoot, "public"))) {
      cpSync(path.join(projectRoot, "public"), path.join(cwd, "public"), { recursive: true, force: true });
    }
  }
  return { script: path.join(cwd, "server.js"), cwd };
}

/**
 * Starts the production build (`next start`, or with `standalone` the self-contained server.js)
 * with its own port and DATA_DIR. `env` overrides the defaults; pass `DATA_DIR` to share a store
 * between servers.
 *
 * `{ dev: true }` runs what the README's quick start runs instead: `next dev` with no
 * configuration at all (its secrets are generated into the DATA_DIR, as on a fresh clone).
 */
export async function startAppServer(
  envWithPort: Record<string, string> = {},
  options: { standalone?: boolean; dev?: boolean } = {},
): Promise<AppServer> {
  const { standalone = false } = options;
  const port = await freePort();
  // `{port}` in a value is this server's port: an origin of its own, such as http://localhost:{port}
  // (a secure context, where browsers offer passkeys; 127.0.0.1 is an IP address, where they do not).
  const env = Object.fromEntries(Object.entries(envWithPort).map(([name, value]) => [name, value.replaceAll("{port}", String(port))]));
  const origin = `http://127.0.0.1:${port}`;
  const ownsDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "qr-login-test-"));
  const fullEnv: Record<string, string> = options.dev
    ? {
        ...env,
        DATA_DIR: dataDir,
        NEXT_DIST_DIR: devDistDir,
        PORT: String(port),
        NODE_ENV: "development",
        NEXT_TELEMETRY_DISABLED: "1",
        // Compiles as `npm run dev` does, without writing a cache a clean clone never reads (next.config.mjs).
        TURBOPACK_DEV_CACHE: "off",
      }
    : {
        AUTHING_APP_ID: testApp.id,
        AUTHING_APP_SECRET: testApp.secret,
        NEXTAUTH_SECRET: testApp.nextAuthSecret,
        NEXTAUTH_URL: origin,
        // Production starts without demo users; the tests sign in as alice and bob.
        SEED_DEMO_USERS: "true",
        // Each route loads on its first request rather than all at start (next.config.mjs): a test
        // server answers a few routes, and starting is most of what a test server costs.
        PRELOAD_ROUTES: "off",
        ...env,
        DATA_DIR: dataDir,
        NEXT_DIST_DIR: testDistDir,
        PORT: String(port),
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
      };
  let log = "";
  let child: ChildProcess;

  const launch = async () => {
    const server = standalone ? standaloneServer() : undefined;
    const command = options.dev ? "dev" : "start";
    child = spawn(process.execPath, server ? [server.script] : [nextBin, command, "-p", String(port), "-H", "127.0.0.1"], {
      cwd: server?.cwd ?? projectRoot,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        ...fullEnv,
        HOSTNAME: "127.0.0.1",
        NODE_ENV: options.dev ? "development" : "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
      // `next dev` runs its server in a child process of its own: stop the whole group.
      detached: options.dev,
    });
    child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    await waitUntilServing(origin, child, () => log, options.dev ? 180 : 60);
    // `next dev` compiles each page on its first request: do it now, as a developer's first
    // visits would, so a test's browser meets pages that are ready.
    if (options.dev) {
      for (const page of ["/login", "/m", "/examples/qr-login", "/"]) {
        await fetch(`${origin}${page}`, { redirect: "manual", signal: AbortSignal.timeout(180_000) }).catch(() => undefined);
      }
    }
  };

  const halt = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const kill = (how: NodeJS.Signals) => {
      try {
        if (options.dev && child.pid) process.kill(-child.pid, how);
        else child.kill(how);
      } catch {
        // Already gone.
      }
    };
    kill(signal);
    const timer = setTimeout(() => kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (error) {
    // A server that never served (refused its configuration, or too slow) leaves no process and
    // no data folder behind.
    await halt("SIGKILL");
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    origin,
    port,
    dataDir,
    env: fullEnv,
    pid: () => child.pid,
    output: () => log,
    restart: async () => {
      await halt();
      await launch();
    },
    crash: async () => {
      await halt("SIGKILL");
      await launch();
    },
    stop: async () => {
      await halt();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    terminate: async (graceMs = 20_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode, killed: false };
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal })),
      );
      child.kill("SIGTERM");
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill("SIGKILL");
      }, graceMs);
      const result = await exited;
      clearTimeout(timer);
      return { ...result, killed };
    },
  };
}
