import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The three layers of docs/architecture.md, read from the folders: the QR login client (with the
 * shared server infrastructure under it, lib/qr-login/platform), the embedded provider and its
 * companion, and the demo app (the rest). Each imports only downward, no two folders import each
 * other, nothing under lib/ imports components/, and nothing under lib/ or components/ imports
 * from app/ (route files re-export handlers that live in their layer). The QR login client must
 * stand alone for an app that uses real Authing.
 */
const root = path.resolve(__dirname, "..");

const PLATFORM = "lib/qr-login/platform/";

const layers = [
  // shadcn's primitives (components/ui/, lib/utils.ts) sit lowest: in an app that adds the items
  // they are the host's own, named as registryDependencies.
  { name: "client", rank: 0, owns: ["components/ui/", "lib/utils.ts", PLATFORM, "lib/qr-login/client/", "components/qr-login/", "app/(qr-login)/"] },
  { name: "provider", rank: 1, owns: ["lib/qr-login/provider/", "lib/qr-login/companion/", "app/(provider)/"] },
  { name: "demo", rank: 2, owns: [""] },
] as const;

const layerOf = (file: string) => layers.find((layer) => layer.owns.some((prefix) => file.startsWith(prefix)))!;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((entry) => {
    const relative = dir ? `${dir}/${entry}` : entry;
    if (["node_modules", ".git", "public", "e2e", "scripts", "test-support", "types", "docs", "deploy"].includes(relative) || entry.startsWith(".")) return [];
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(relative);
    return /\.(ts|tsx|mts)$/.test(entry) && !entry.endsWith(".d.ts") ? [relative] : [];
  });
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;

/** The project files a source file imports (packages are left out). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(importPattern)]
    .map((match) => match[1] ?? match[2] ?? match[3] ?? "")
    .flatMap((specifier) => {
      const base = specifier.startsWith("@/") ? specifier.slice(2) : specifier.startsWith(".") ? path.posix.join(path.posix.dirname(file), specifier) : undefined;
      if (base === undefined) return [];
      const resolved = ["", ".ts", ".tsx", "/index.ts", "/index.tsx"].map((suffix) => base + suffix).find((candidate) => existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile());
      return resolved ? [resolved] : [base];
    });
}

/** Tests and their helpers are no layer's code: they may reach anywhere. */
const isTestCode = (file: string) =>
  /\.test\.tsx?$/.test(file) || file.includes("/testing/") || /from ["'](vitest|@\/test-support\/[^"']*)["']/.test(readFileSync(path.join(root, file), "utf8"));

const files = sourceFiles("").filter((file) => !isTestCode(file));

describe("the layers", () => {
  it("reads the tree it checks", () => {
    expect(files).toContain("lib/qr-login/client/flow/browser-qr-login.ts");
    expect(files).toContain("lib/qr-login/provider/qr-codes.ts");
    expect(importsOf("lib/qr-login/provider/start/in-process-transport.ts")).toContain("lib/qr-login/provider/routes/gene-qrcode.ts");
    for (const layer of layers) for (const folder of layer.owns) expect(files.some((file) => file.startsWith(folder)), folder).toBe(true);
  });

  it("has no file under lib/ or components/ importing from app/", () => {
    const upward = files
      .filter((file) => file.startsWith("lib/") || file.startsWith("components/"))
      .flatMap((file) => importsOf(file).filter((target) => target.startsWith("app/")).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it("has nothing under lib/ importing components/: the UI sits on the code, not under it", () => {
    const upward = files
      .filter((file) => file.startsWith("lib/"))
      .flatMap((file) => importsOf(file).filter((target) => target.startsWith("components/")).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it("has a platform that imports nothing above it", () => {
    const upward = files
      .filter((file) => file.startsWith(PLATFORM))
      .flatMap((file) => importsOf(file).filter((target) => !target.startsWith(PLATFORM)).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it("has no two folders under lib/ or components/ importing each other", () => {
    const folderOf = (file: string) => path.posix.dirname(file);
    const edges = new Set(
      files
        .filter((file) => file.startsWith("lib/") || file.startsWith("components/"))
        .flatMap((file) => importsOf(file).map((target) => `${folderOf(file)} -> ${folderOf(target)}`)),
    );
    const mutual = [...edges].filter((edge) => {
      const [from, to] = edge.split(" -> ") as [string, string];
      return from < to && edges.has(`${to} -> ${from}`);
    });
    expect(mutual).toEqual([]);
  });

  it("imports only downward: the client never reaches the embedded provider or the demo app", () => {
    const upward = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => layerOf(target).rank > layerOf(file).rank)
        .map((target) => `${file} (${layerOf(file).name}) -> ${target} (${layerOf(target).name})`),
    );
    expect(upward).toEqual([]);
  });

  it("has route files that only re-export what their layer handles", () => {
    const routeFiles = files.filter((file) => file.startsWith("app/") && file.endsWith("/route.ts"));
    expect(routeFiles.length).toBeGreaterThan(10);
    const withLogic = routeFiles.filter((file) => {
      const code = readFileSync(path.join(root, file), "utf8").replace(/\/\/[^\n]*/g, "");
      const statements = code.split(";").map((statement) => statement.trim()).filter(Boolean);
      return !statements.every((statement) => /^export (\{[^}]*\} from|const \{[^}]*\} = \w+\(\)$|const (maxDuration|dynamic) = )/.test(statement));
    });
    expect(withLogic).toEqual([]);
  });
});
