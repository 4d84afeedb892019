import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A clock that test servers share and a test moves forward (lib/test-clock.ts): pass `env` to
 * `startAppServer` (several servers may share one clock), then `advance()` instead of waiting.
 * The test process's own clock is not moved: compare server times with `now()`.
 */
export type TestClock = {
  env: { TEST_CLOCK_FILE: string };
  /** Moves every server on this clock `ms` milliseconds ahead. */
  advance(ms: number): void;
  /** The servers' time, in epoch milliseconds. */
  now(): number;
  /**
   * Moves the servers to just after the start of a fresh fixed window (rate limits count in
   * windows of whole minutes and hours since the epoch), so that everything a test does next
   * falls in one window however slow the machine.
   */
  startFreshWindow(windowMs?: number): void;
  remove(): void;
};

export function testClock(): TestClock {
  const dir = mkdtempSync(path.join(os.tmpdir(), "qr-login-clock-"));
  const file = path.join(dir, "offset");
  let offset = 0;
  const write = () => {
    // Written aside and renamed, so that a server never reads a half-written number.
    writeFileSync(`${file}.next`, String(offset));
    renameSync(`${file}.next`, file);
  };
  write();
  return {
    env: { TEST_CLOCK_FILE: file },
    advance(ms) {
      offset += ms;
      write();
    },
    now: () => Date.now() + offset,
    startFreshWindow(windowMs = 60_000) {
      this.advance(windowMs - (this.now() % windowMs) + 50);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
