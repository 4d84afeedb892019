import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { freePort, projectRoot } from "./app-server";

/** The committed configuration the e2e runs, as an operator would (docs/deploying.md, "Self-hosting"). */
export const NGINX_SITE_CONFIG = path.join(projectRoot, "deploy", "nginx", "qr-login.conf");

export type NginxServer = { origin: string; port: number; stop(): Promise<void>; accessLog(): string; output(): string };

// Debian installs it in /usr/sbin, which is not on every user's PATH.
const binary = () => process.env.NGINX_PATH ?? (existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx");

/** The name the tests serve the site under: the address they reach nginx on. */
export const NGINX_SERVER_NAME = "127.0.0.1";

/**
 * The documented templating step: the committed site file with its two upstream `server` lines,
 * its two `listen` lines and its `server_name` pointed at this run's ports and address.
 * Everything else is the file as committed; a line not found fails loudly, so the file cannot
 * drift from what the test runs.
 */
export function siteConfigFor(listenPort: number, upstreamPorts: [number, number]): string {
  let config = readFileSync(NGINX_SITE_CONFIG, "utf8");
  const substitutions: [RegExp, string][] = [
    [/^(\s*)server 127\.0\.0\.1:3001 /m, `$1server 127.0.0.1:${upstreamPorts[0]} `],
    [/^(\s*)server 127\.0\.0\.1:3002 /m, `$1server 127.0.0.1:${upstreamPorts[1]} `],
    [/^(\s*)listen 8080 default_server /m, `$1listen 127.0.0.1:${listenPort} default_server `],
    [/^(\s*)listen 8080;/m, `$1listen 127.0.0.1:${listenPort};`],
    [/^(\s*)server_name qr-login\.example\.com;/m, `$1server_name ${NGINX_SERVER_NAME};`],
  ];
  for (const [pattern, replacement] of substitutions) {
    if (!pattern.test(config)) throw new Error(`${NGINX_SITE_CONFIG} no longer has a line matching ${pattern}`);
    config = config.replace(pattern, replacement);
  }
  return config;
}

/**
 * A throwaway nginx (Debian's package) as an unprivileged process: its prefix, pid, logs and
 * temp files in a temp dir, in the foreground, including the committed site configuration.
 */
export async function startNginx(upstreamPorts: [number, number], listenPort?: number): Promise<NginxServer> {
  const port = listenPort ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), "qr-login-nginx-"));
  for (const temp of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, temp));
  writeFileSync(path.join(dir, "qr-login.conf"), siteConfigFor(port, upstreamPorts));
  writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "worker_processes 1;",
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      // A crowd of held requests is a connection each, and one more to the app for those let through.
      "worker_rlimit_nofile 16384;",
      "events { worker_connections 8192; }",
      "http {",
      // Who asked, what nginx answered, and what the app answered (`-` when nginx answered itself).
      `  log_format qr_login_test '$remote_addr "$request" $status upstream=$upstream_status time=$request_time upstream_time=$upstream_response_time msec=$msec';`,
      `  access_log ${dir}/access.log qr_login_test;`,
      `  client_body_temp_path ${dir}/body;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  fastcgi_temp_path ${dir}/fastcgi;`,
      `  uwsgi_temp_path ${dir}/uwsgi;`,
      `  scgi_temp_path ${dir}/scgi;`,
      `  include ${dir}/qr-login.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  let log = "";
  const child: ChildProcess = spawn(binary(), ["-p", dir, "-e", `${dir}/error.log`, "-c", `${dir}/nginx.conf`, "-g", "daemon off;"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once("error", (error) => (spawnError = error));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (spawnError) {
      rmSync(dir, { recursive: true, force: true });
      throw spawnError.code === "ENOENT" ? new Error("Cannot run nginx: install it with `apt-get install -y nginx` (or set NGINX_PATH)") : spawnError;
    }
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${log}`);
    try {
      await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer within 15 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const read = (file: string) => {
    try {
      return readFileSync(path.join(dir, file), "utf8");
    } catch {
      return "";
    }
  };
  return {
    origin,
    port,
    accessLog: () => read("access.log"),
    output: () => log + read("error.log"),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGQUIT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
