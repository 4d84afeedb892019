import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { freePort } from "./app-server";

export type RedisServerOptions = {
  /** Persist every write before answering (appendfsync always), so a crash loses nothing. */
  appendOnly?: boolean;
  /** Where Redis keeps its files; a given dir is left in place by stop(). Default: a fresh temp dir. */
  dir?: string;
  /** Default: a free port. */
  port?: number;
  /** More redis-server options, e.g. `["--maxmemory-policy", "allkeys-lru"]`. */
  extraArgs?: string[];
};

export type RedisServer = {
  url: string;
  port: number;
  dir: string;
  /** Kills the server (SIGKILL: a crash) and starts it again on the same port and files. */
  restart(): Promise<void>;
  /** Kills the server (SIGKILL) and leaves it down: an outage, until start(). */
  kill(): Promise<void>;
  /** Starts a killed server again on the same port and files. */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL; removes the dir unless it was given. */
  stop(): Promise<void>;
  output(): string;
};

const binary = () => process.env.REDIS_SERVER_PATH ?? "redis-server";

function missingBinary(): Error {
  return new Error(
    `Cannot run ${binary()}: the Redis tests need a local Redis server. ` +
      "Install it with `apt-get install -y redis-server` (or set REDIS_SERVER_PATH).",
  );
}

/** One PING over a raw socket: true once the server answers +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/** A throwaway redis-server on 127.0.0.1, for tests. Fails loudly when redis-server is missing. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), "qr-login-redis-"));
  mkdirSync(dir, { recursive: true });
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--protected-mode", "yes",
    "--dir", dir,
    "--save", "",
    ...(options.appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
    ...(options.extraArgs ?? []),
  ];
  let log = "";
  let child: ChildProcess;

  const launch = async () => {
    const started = spawn(binary(), args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    started.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    started.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    let spawnError: NodeJS.ErrnoException | undefined;
    started.once("error", (error) => (spawnError = error));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (spawnError) throw spawnError.code === "ENOENT" ? missingBinary() : spawnError;
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}:\n${log}`);
      if (await ping(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    started.kill("SIGKILL");
    throw new Error(`redis-server did not answer PING within 15 s:\n${log}`);
  };

  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (error) {
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    output: () => log,
    restart: async () => {
      await halt("SIGKILL");
      await launch();
    },
    kill: () => halt("SIGKILL"),
    start: () => launch(),
    stop: async () => {
      await halt("SIGTERM");
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
