import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import { projectRoot } from "../test-support/app-server";

export const CREATE_NEXT_APP = "create-next-app@16.4.3";
export const SHADCN = "shadcn@4.23.1";

/**
 * What the new app's commands see: a user's shell, not this repository's test settings. The one
 * addition is Next's hook for building next/font/google offline (see google-fonts-offline.cjs).
 */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    TMPDIR: process.env.TMPDIR ?? "/tmp",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_FONT_GOOGLE_MOCKED_RESPONSES: path.join(__dirname, "google-fonts-offline.cjs"),
    ...extra,
  };
}

export type Step = { command: string; seconds: number };

/** Runs a command as a user would type it; fails with its output when it fails. */
export async function run(steps: Step[], cwd: string, command: string, args: string[], env: Record<string, string>, { input }: { input?: string } = {}): Promise<string> {
  const started = Date.now();
  const child = spawn(command, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  child.stdin?.end(input);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const line = [command, ...args].join(" ");
  steps.push({ command: line, seconds: Math.round((Date.now() - started) / 1000) });
  if (code !== 0) throw new Error(`\`${line}\` in ${cwd} exited with ${code}:\n${output.slice(-8000)}`);
  return output;
}

/** The app's own files (what a user would see in `git status`), without installed or built output. */
export function sourceFiles(dir: string, relative = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const child = path.posix.join(relative, entry.name);
    if (["node_modules", ".next", ".data"].includes(entry.name)) continue;
    if (entry.isDirectory()) found.push(...sourceFiles(dir, child));
    else found.push(child);
  }
  return found.sort();
}

/**
 * Serves the committed public/r/ as it is, at an origin of its own (not the localhost:3000 of
 * `npm run dev`), as any deployment or static host would; and at /shadcn/r the mirror of shadcn's
 * own registry the new app's `shadcn` commands reach through REGISTRY_URL (shadcn-registry/README.md).
 * It also serves the font file google-fonts-offline.cjs points the new app's build at.
 */
export async function serveRegistry(): Promise<{
  url: string;
  shadcnUrl: string;
  fontUrl: string;
  requests: string[];
  unanswered: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const unanswered: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? "");
    if (request.url === "/fonts/offline.woff2") {
      response.writeHead(200, { "content-type": "font/woff2" }).end("wOF2offline");
      return;
    }
    // The CLI adds a query to some requests (?base=radix); the files are the same.
    const pathname = new URL(request.url ?? "/", "http://registry").pathname;
    const ours = /^\/r\/([a-z0-9-]+\.json)$/.exec(pathname);
    const shadcns = /^\/shadcn\/r\/((?:styles\/[a-z0-9-]+\/|colors\/|styles\/)?[a-z0-9-]+\.json)$/.exec(pathname);
    const file = ours ? path.join(projectRoot, "public/r", ours[1]!) : shadcns ? path.join(__dirname, "shadcn-registry/r", shadcns[1]!) : undefined;
    let body: string | undefined;
    try {
      body = file ? readFileSync(file, "utf8") : undefined;
    } catch {
      body = undefined;
    }
    if (!body) {
      unanswered.push(request.url ?? "");
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/r`,
    shadcnUrl: `${origin}/shadcn/r`,
    fontUrl: `${origin}/fonts/offline.woff2`,
    requests,
    unanswered,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `next start` of the new app, as `npm start` runs it, on a given port; `next dev` (`npm run dev`) with `dev`. */
export async function startNewApp(
  dir: string,
  port: number,
  { dev = false, env = {} }: { dev?: boolean; env?: Record<string, string> } = {},
): Promise<{ origin: string; output(): string; stop(): Promise<void> }> {
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), dev ? "dev" : "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: userEnv(dev ? env : { ...env, NODE_ENV: "production" }) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + (dev ? 180_000 : 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the new app exited with ${child.exitCode}:\n${log}`);
    try {
      await fetch(`${origin}/`, { redirect: "manual", signal: AbortSignal.timeout(dev ? 170_000 : 30_000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the new app did not answer within ${dev ? 180 : 60} s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    origin,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
