import fs from "node:fs";

/**
 * A clock the tests can move forward, so that expiry (codes, tickets, access tokens, replay
 * windows) is tested without waiting it out. TEST_CLOCK_FILE names a file holding a number of
 * milliseconds; while it is set, this process's `Date.now()` and `new Date()` read the real time
 * plus that number, read from the file on every call (a test writes it, the server sees it at once).
 *
 * Only a build made by `npm run test:build` accepts it: lib/config.ts refuses TEST_CLOCK_FILE in
 * production without the mark (TEST_BUILD_MARKER) that script leaves in its build folder.
 */

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
