import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { sourceFilesUnder } from "@/registry/import-graph";

const root = path.resolve(__dirname, "../../..");

/** The code that runs in a deployment (tests and their helpers left out), with the registry's own files. */
const shipped = [...["lib", "app", "components", "registry"].flatMap((folder) => sourceFilesUnder(root, folder)), "instrumentation.ts", "proxy.ts"].filter((file) =>
  /\.tsx?$/.test(file),
);

describe("log lines", () => {
  it("reads the tree it checks", () => {
    expect(shipped).toEqual(expect.arrayContaining(["lib/qr-login/platform/log.ts", "lib/qr-login/client/authing/token-refresh.ts", "registry/qr-login/instrumentation.ts", "instrumentation.ts"]));
  });

  it("all go through the one logger (lib/qr-login/platform/log.ts): no server code writes console", () => {
    // A browser component's console is the browser's own: only a "use client" file may use it.
    const writers = shipped.filter((file) => {
      const text = readFileSync(path.join(root, file), "utf8");
      return /\bconsole\s*\.\s*[a-z]+\s*\(/.test(text) && !/^\s*["']use client["']/.test(text);
    });
    expect(writers).toEqual([]);
  });
});
