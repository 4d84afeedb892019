import { readFileSync } from "node:fs";
import path from "node:path";

import { importClosure, isTestFile } from "./import-graph";
import { REGISTRY_ITEMS } from "./items";

/**
 * The registry's homepage, where `npm run dev` serves it. Nothing is fetched from it: an item
 * carries the items it includes, so it installs from whatever origin serves it.
 */
const HOMEPAGE = "http://localhost:3000";

/** Packages the host app has already (create-next-app installs them). */
const HOST_PACKAGES = new Set(["next", "react", "react-dom"]);

type RegistryFile = { path: string; type: "registry:file"; target: string };
export type RegistryItem = {
  name: string;
  type: "registry:item";
  title: string;
  description: string;
  /** shadcn's primitives (button, card, …, utils), added from the host's shadcn registry. */
  registryDependencies: string[];
  dependencies: string[];
  devDependencies: string[];
  envVars: Record<string, string>;
  /** `optionalDependencies`: package@range → the variable that needs it (registry/items.ts). */
  meta?: { optionalDependencies: Record<string, string> };
  docs?: string;
  files: RegistryFile[];
};
export type RegistryManifest = { $schema: string; name: string; homepage: string; items: RegistryItem[] };

/** registry/<item>/app/login/page.tsx → app/login/page.tsx; any other file keeps its path. */
export function targetOf(file: string): string {
  const match = /^registry\/[^/]+\/(.+)$/.exec(file);
  return match ? match[1]! : file;
}

function versionOf(manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }, name: string): string {
  const range = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
  if (!range) throw new Error(`registry: "${name}" is imported but is not in package.json`);
  return `${name}@${range}`;
}

/**
 * registry.json, computed from the items' entry points and the repository's own package.json.
 * An item that includes another carries that item's files, packages and variables itself rather
 * than naming it in `registryDependencies`: shadcn 4.23.1 fetches a dependency only by an absolute
 * URL (a relative one it reads as a local file), and an absolute URL would tie the item to one origin.
 * `registryDependencies` name only shadcn's own primitives, which the host's shadcn registry serves.
 */
export function buildRegistryManifest(root: string): RegistryManifest {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const built = new Map<string, { files: string[]; packages: string[]; shadcnItems: string[]; envVars: Record<string, string>; optionalPackages: Record<string, string> }>();
  const items = REGISTRY_ITEMS.map((source): RegistryItem => {
    const included = (source.includes ?? []).map((name) => {
      const item = built.get(name);
      if (!item) throw new Error(`registry: ${source.name} includes ${name}, which is no item before it`);
      return item;
    });
    const closure = importClosure(root, source.entries(root));
    // An item's own file replaces an included one that lands at the same path (instrumentation.ts).
    const own = new Set(closure.files.map(targetOf));
    const files = [...new Set([...included.flatMap((item) => item.files).filter((file) => !own.has(targetOf(file))), ...closure.files])].sort();
    const tests = files.filter(isTestFile);
    if (tests.length > 0) throw new Error(`registry: ${source.name} would ship test code: ${tests.join(", ")}`);
    const packages = [...new Set([...included.flatMap((item) => item.packages), ...closure.packages])].filter((name) => !HOST_PACKAGES.has(name)).sort();
    const shadcnItems = [...new Set([...included.flatMap((item) => item.shadcnItems), ...closure.shadcnItems])].sort();
    const envVars = Object.assign({}, ...included.map((item) => item.envVars), source.envVars ?? {}) as Record<string, string>;
    const optionalPackages = Object.assign({}, ...included.map((item) => item.optionalPackages), source.optionalPackages ?? {}) as Record<string, string>;
    const imported = packages.filter((name) => name in optionalPackages);
    if (imported.length > 0) throw new Error(`registry: ${source.name} imports its optional packages where the bundler sees them: ${imported.join(", ")}`);
    built.set(source.name, { files, packages, shadcnItems, envVars, optionalPackages });

    // A package the starter only needs while developing (pino-pretty) is a dev dependency there too.
    const runtime = packages.filter((name) => pkg.dependencies?.[name]);
    const dependencies = runtime.map((name) => versionOf(pkg, name));
    const devDependencies = [
      ...packages.filter((name) => !pkg.dependencies?.[name]),
      ...runtime.map((name) => `@types/${name.replace(/^@/, "").replace("/", "__")}`).filter((types) => pkg.devDependencies?.[types]),
    ].map((name) => versionOf(pkg, name));
    return {
      name: source.name,
      type: "registry:item",
      title: source.title,
      description: source.description,
      registryDependencies: shadcnItems,
      dependencies,
      devDependencies,
      envVars,
      ...(Object.keys(optionalPackages).length > 0 && {
        meta: { optionalDependencies: Object.fromEntries(Object.entries(optionalPackages).map(([name, variable]) => [versionOf(pkg, name), variable])) },
        docs: `Optional, only for the features you turn on: ${Object.entries(optionalPackages)
          .map(([name, variable]) => `npm install ${name} for ${variable.split(" (")[0]}`)
          .join("; ")}.`,
      }),
      files: files.map((file) => ({ path: file, type: "registry:file", target: targetOf(file) })),
    };
  });
  return {
    $schema: "https://ui.shadcn.com/schema/registry.json",
    name: "authing-qr-login",
    homepage: HOMEPAGE,
    items,
  };
}
