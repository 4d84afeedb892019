import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { projectRoot } from "./app-server";

type PackageJson = {
  name: string;
  version: string;
  license?: string | { type: string };
  licenses?: { type: string }[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/** What an app that adopts the QR login installs besides what every Next.js app already has. */
const hostPackages = new Set(["next", "react", "react-dom"]);
const permissive = new Set(["MIT", "ISC", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "BlueOak-1.0.0", "CC0-1.0", "Unlicense"]);

const readPackage = (dir: string) => JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;

/** Node's own lookup: the nearest node_modules/<name> from `from` upwards. */
function installedAt(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Every installed package in the closure of `names`, by folder. */
function closure(names: string[], from: string, found = new Map<string, PackageJson>()): Map<string, PackageJson> {
  for (const name of names) {
    const dir = installedAt(name, from);
    if (!dir || found.has(dir)) continue;
    const pkg = readPackage(dir);
    found.set(dir, pkg);
    closure(Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }), dir, found);
  }
  return found;
}

function licenseOf(pkg: PackageJson): string {
  if (typeof pkg.license === "string") return pkg.license;
  return pkg.license?.type ?? pkg.licenses?.map((license) => license.type).join(" OR ") ?? "UNKNOWN";
}

/** An SPDX expression is acceptable when every AND-part offers at least one permissive licence. */
function isPermissive(expression: string): boolean {
  return expression
    .replace(/[()]/g, "")
    .split(/\s+AND\s+/)
    .every((part) => part.split(/\s+OR\s+/).some((license) => permissive.has(license.trim())));
}

describe("the dependencies an adopting app installs", () => {
  const own = readPackage(projectRoot);
  const added = Object.keys(own.dependencies ?? {}).filter((name) => !hostPackages.has(name));

  it("are each pinned to one major version (or narrower), never a range that moves across majors", () => {
    for (const name of added) expect(own.dependencies?.[name], name).toMatch(/^[\^~]?\d+\.\d+\.\d+$/);
  });

  it("are permissively licensed, all the way down the installed tree", () => {
    const installed = [...closure(added, projectRoot).values()];
    expect(installed.length).toBeGreaterThan(added.length);
    const copyleft = installed.filter((pkg) => !isPermissive(licenseOf(pkg))).map((pkg) => `${pkg.name}@${pkg.version}: ${licenseOf(pkg)}`);
    expect(copyleft).toEqual([]);
  });

  it("tells a copyleft licence from a permissive one", () => {
    expect(isPermissive("MIT")).toBe(true);
    expect(isPermissive("(MIT OR WTFPL)")).toBe(true);
    // ua-parser-js 2.x, which an unpinned install would bring.
    expect(isPermissive("AGPL-3.0-or-later")).toBe(false);
    expect(isPermissive("LGPL-3.0-or-later")).toBe(false);
    expect(isPermissive("MIT AND GPL-2.0")).toBe(false);
  });
});
