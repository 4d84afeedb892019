import fs from "node:fs";
import path from "node:path";

/**
 * A clock the tests can move forward, so that expiry (codes, tickets, access tokens, replay
 * windows) is tested without waiting it out. TEST_CLOCK_FILE names a file holding a number of
 * milliseconds; while it is set, this process's `Date.now()` and `new Date()` read the real time
 * plus that number, read from the file on every call (a test writes it, the server sees it at once).
 *
 * Only a build made by `npm run test:build` accepts it: in production without the mark
 * (TEST_BUILD_MARKER) that script leaves in its build folder, the server refuses to start. Only
 * this starter's own instrumentation.ts loads this file: no registry item ships it, and nothing
 * the items ship reads TEST_CLOCK_FILE.
 */

/** Left in its build folder by scripts/build-for-tests.mjs: the one production build that takes TEST_CLOCK_FILE. */
export const TEST_BUILD_MARKER = "TEST_BUILD";

/** Whether the build this process serves was made by `npm run test:build`. */
export function isTestBuild(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): boolean {
  return fs.existsSync(path.join(cwd, env.NEXT_DIST_DIR || ".next", TEST_BUILD_MARKER));
}

/** TEST_CLOCK_FILE, if set and allowed: anywhere but in a production build other than the test build. */
export function testClockFile(env: Record<string, string | undefined> = process.env, testBuild = isTestBuild(env)): string | undefined {
  const file = env.TEST_CLOCK_FILE?.trim() || undefined;
  if (file && env.NODE_ENV === "production" && !testBuild) {
    throw new Error("TEST_CLOCK_FILE is for tests only and is refused in production (only a build made by `npm run test:build` accepts it)");
  }
  return file;
}

let installed = false;

export function installTestClock(file: string): void {
  if (installed) return;
  installed = true;
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const offset = () => {
    try {
      return Number(fs.readFileSync(file, "utf8")) || 0;
    } catch {
      return 0;
    }
  };
  const now = () => realNow() + offset();
  RealDate.now = now;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
  });
}
