import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { tempDirs } from "@/test-support/temp-dirs";

import { isTestBuild, TEST_BUILD_MARKER, testClockFile } from "./test-clock";

const tempDir = tempDirs("qr-login-test-clock-");

describe("the test clock", () => {
  it("is refused in production, but for a build made by npm run test:build", () => {
    const clock = { TEST_CLOCK_FILE: "/tmp/clock" };
    expect(() => testClockFile({ NODE_ENV: "production", ...clock }, false)).toThrow(
      "TEST_CLOCK_FILE is for tests only and is refused in production (only a build made by `npm run test:build` accepts it)",
    );
    expect(testClockFile({ NODE_ENV: "production" }, false)).toBeUndefined();
    expect(testClockFile({ NODE_ENV: "production", ...clock }, true)).toBe("/tmp/clock");
    expect(testClockFile({ ...clock }, false)).toBe("/tmp/clock");

    // The test build is told by the mark scripts/build-for-tests.mjs leaves in its folder.
    const project = tempDir();
    expect(isTestBuild({ NEXT_DIST_DIR: ".next-test" }, project)).toBe(false);
    mkdirSync(path.join(project, ".next-test"));
    writeFileSync(path.join(project, ".next-test", TEST_BUILD_MARKER), "");
    expect(isTestBuild({ NEXT_DIST_DIR: ".next-test" }, project)).toBe(true);
    expect(isTestBuild({}, project)).toBe(false);
  });
});
