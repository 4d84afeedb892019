import "server-only";

import { log } from "./log";

type Shutdown = { draining: boolean; wakers: Set<() => void>; installed: boolean };

const globalForShutdown = globalThis as typeof globalThis & { qrLoginShutdown?: Shutdown };
const state = (globalForShutdown.qrLoginShutdown ??= { draining: false, wakers: new Set(), installed: false });

/** How long a stopping instance may take before it exits anyway: far below a wait's 25 s. */
export const SHUTDOWN_DEADLINE_MS = 8_000;

/** True once the process was told to stop: new status requests are answered at once, not held. */
export const isDraining = () => state.draining;

/** Calls `wake` when the process starts to stop; the function returned forgets it. */
export function onDrain(wake: () => void): () => void {
  state.wakers.add(wake);
  return () => state.wakers.delete(wake);
}

/**
 * Stops holding waits: every held status request is answered now with the status it has (the
 * page asks again, and with Redis another instance answers it). Requests under way, such as a
 * redemption, finish: Next's own SIGTERM handler closes the listening socket and waits for them
 * before it exits; the store closes at exit.
 */
export function beginDrain(reason: string): void {
  if (state.draining) return;
  state.draining = true;
  const held = state.wakers.size;
  for (const wake of [...state.wakers]) wake();
  state.wakers.clear();
  log.info("shutdown.draining", `stopping (${reason}): answered ${held} held status requests`, { reason, held });
}

/** Once per process, from instrumentation.ts: SIGTERM and SIGINT drain, and a deadline bounds the stop. */
export function installShutdownHandlers(closeStore: () => Promise<void> | void): void {
  if (state.installed) return;
  state.installed = true;
  const stop = (signal: NodeJS.Signals) => {
    beginDrain(signal);
    // Next exits once its server has closed; if a request hangs, this exits anyway.
    setTimeout(() => {
      log.warn("shutdown.deadline", `requests still open ${SHUTDOWN_DEADLINE_MS} ms after ${signal}: exiting`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.once("exit", () => {
    void closeStore();
  });
}
