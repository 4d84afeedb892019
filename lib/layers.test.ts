import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The three layers of docs/architecture.md, read from the source tree: each imports only downward, and
 * nothing under lib/ or components/ imports from app/ (route files re-export handlers that live
 * in their layer). The QR login client must stand alone for an app that uses real Authing.
 */
const root = path.resolve(__dirname, "..");

const layers = [
  {
    name: "client",
    rank: 0,
    // shadcn's primitives (components/ui/, lib/utils.ts) sit lowest: in an app that adds the items
    // they are the host's own, named as registryDependencies.
    owns: ["components/ui/", "lib/utils.ts", "components/qr-login/", "lib/qr-login/client/authing/", "lib/qr-login/", "lib/qr-login/client/auth/", "lib/qr-login/platform/", "lib/qr-login/platform/config.ts", "lib/qr-login/platform/config-schema.ts", "lib/qr-login/platform/config-secrets.ts", "lib/qr-login/platform/config-warnings.ts", "lib/qr-login/platform/forwarded-headers.ts"],
  },
  // The companion pages speak the demo's two languages, so the dictionary sits with them.
  { name: "provider", rank: 1, owns: ["lib/qr-login/provider/", "lib/qr-login/provider/store/", "app/(provider)/", "app/(provider)/m/", "lib/qr-login/client/i18n/"] },
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
  });

  it("has no file under lib/ or components/ importing from app/", () => {
    const upward = files
      .filter((file) => file.startsWith("lib/") || file.startsWith("components/"))
      .flatMap((file) => importsOf(file).filter((target) => target.startsWith("app/")).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
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
