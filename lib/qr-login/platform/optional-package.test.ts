import { describe, expect, it } from "vitest";

import { ConfigError } from "@/lib/qr-login/platform/config";

import { missingPackage } from "./optional-package";

const importFailure = async (name: string) => import(/* @vite-ignore */ name).then(() => undefined, (error: unknown) => error);

describe("an optional package", () => {
  it("missing while its variable is set, is a configuration problem naming the package, the command and the variable", async () => {
    const error = await importFailure("prom-client-not-installed");
    const problem = missingPackage("prom-client-not-installed", "METRICS_TOKEN", error);
    expect(problem).toBeInstanceOf(ConfigError);
    expect((problem as ConfigError).problems).toEqual([
      "METRICS_TOKEN is set, which needs the package prom-client-not-installed: add it to the app (npm install prom-client-not-installed) or unset METRICS_TOKEN",
    ]);
  });

  it("failing for any other reason, or another package missing, is left as it was", async () => {
    const other = await importFailure("another-package-not-installed");
    expect(missingPackage("prom-client-not-installed", "METRICS_TOKEN", other)).toBe(other);
    const broken = new SyntaxError("Unexpected token");
    expect(missingPackage("prom-client", "METRICS_TOKEN", broken)).toBe(broken);
  });
});
