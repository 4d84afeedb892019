import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** What a registry item must never ship: tests and the helpers only tests use. */
export function isTestFile(file: string): boolean {
  return /\.test\.tsx?$/.test(file) || /(^|\/)(testing|test-support|e2e)\//.test(file) || /(^|\/)test-[^/]*\.tsx?$/.test(file);
}

const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".d.ts", "/index.ts", "/index.tsx"];

/** `@/lib/x` or `./x` to a repository path (posix, relative to `root`), or undefined if it is a package. */
export function resolveImport(root: string, fromFile: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith("./") || specifier.startsWith("../")) base = path.posix.join(path.posix.dirname(fromFile), specifier);
  else return undefined;
  for (const extension of EXTENSIONS) {
    const candidate = `${base}${extension}`;
    const absolute = path.join(root, candidate);
    if (existsSync(absolute) && statSync(absolute).isFile()) return candidate;
  }
  throw new Error(`${fromFile} imports "${specifier}", which is no file in the repository`);
}

/** The package an import names (`next-auth/providers/credentials` → `next-auth`), or undefined for a builtin. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith("node:") || specifier.startsWith("@/") || specifier.startsWith(".")) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  return BUILTINS.has(name) ? undefined : name;
}

const BUILTINS = new Set(["fs", "path", "crypto", "os", "net", "http", "https", "url", "util", "events", "stream", "child_process", "async_hooks", "zlib", "buffer", "worker_threads", "perf_hooks", "timers"]);

/** Every static, side-effect and dynamic import in a file, type-only ones included (tsc needs them). */
export function importsOf(root: string, file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, file), "utf8"), true, true);
  return importedFiles.map((imported) => imported.fileName);
}

/**
 * shadcn's own registry item a file is, by where `shadcn add` puts it in a new-york app
 * (components/ui/button.tsx → "button", lib/utils.ts → "utils"), or undefined for the starter's own.
 */
export function shadcnItemOf(file: string): string | undefined {
  if (file === "lib/utils.ts") return "utils";
  return /^components\/ui\/([a-z0-9-]+)\.tsx$/.exec(file)?.[1];
}

export type Closure = { files: string[]; packages: string[]; shadcnItems: string[] };

/**
 * The files reachable from `entries` through `@/…` and relative imports, and the packages they
 * import. shadcn's own primitives are not followed: they are named (`shadcnItems`), for the host's
 * own copies, themed by its CSS variables.
 */
export function importClosure(root: string, entries: string[]): Closure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const shadcnItems = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const shadcnItem = shadcnItemOf(file);
    if (shadcnItem) {
      shadcnItems.add(shadcnItem);
      continue;
    }
    if (files.has(file)) continue;
    files.add(file);
    if (!/\.m?tsx?$/.test(file)) continue;
    for (const specifier of importsOf(root, file)) {
      const resolved = resolveImport(root, file, specifier);
      if (resolved) queue.push(resolved);
      else {
        const name = packageOf(specifier);
        if (name) packages.add(name);
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort(), shadcnItems: [...shadcnItems].sort() };
}

/** The source files under a folder (posix paths relative to `root`), tests left out. */
export function sourceFilesUnder(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.(tsx?|css)$/.test(entry.name) && !isTestFile(child)) found.push(child);
    }
  };
  walk(folder);
  return found.sort();
}
