import { afterAll, beforeAll } from "vitest";

import { startAppServer, type AppServer } from "./app-server";

/**
 * A server for the tests of the enclosing file or describe block: started before them, stopped
 * after. Its fields can be read once the tests run.
 */
export function sharedAppServer(env: Record<string, string> | (() => Record<string, string>) = {}): AppServer {
  let started: AppServer | undefined;
  beforeAll(async () => {
    started = await startAppServer(typeof env === "function" ? env() : env);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = () => {
    if (!started) throw new Error("the app server starts in beforeAll; read it inside a test");
    return started;
  };
  return {
    get origin() { return current().origin; },
    get port() { return current().port; },
    get dataDir() { return current().dataDir; },
    get env() { return current().env; },
    pid: () => current().pid(),
    restart: () => current().restart(),
    crash: () => current().crash(),
    stop: () => current().stop(),
    terminate: (graceMs?: number) => current().terminate(graceMs),
    output: () => current().output(),
  };
}
