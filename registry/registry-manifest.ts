import { readFileSync } from "node:fs";
import path from "node:path";

import { importClosure, isTestFile } from "./import-graph";
import { REGISTRY_ITEMS } from "./items";

/** Where the built items are served: `npx shadcn add <REGISTRY_URL>/qr-login.json`. */
export const DEFAULT_REGISTRY_URL = "http://localhost:3000/r";

/** Packages the host app has already (create-next-app installs them). */
const HOST_PACKAGES = new Set(["next", "react", "react-dom"]);

type RegistryFile = { path: string; type: "registry:file"; target: string };
export type RegistryItem = {
  name: string;
  type: "registry:item";
  title: string;
  description: string;
  registryDependencies?: string[];
  dependencies: string[];
  devDependencies: string[];
  envVars: Record<string, string>;
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

/** registry.json, computed from the items' entry points and the repository's own package.json. */
export function buildRegistryManifest(root: string, registryUrl = DEFAULT_REGISTRY_URL): RegistryManifest {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const shipped = new Map<string, string>();
  const packagesOf = new Map<string, string[]>();
  const items = REGISTRY_ITEMS.map((source): RegistryItem => {
    const closure = importClosure(root, source.entries(root));
    const inherited = new Set((source.dependsOn ?? []).flatMap((name) => [...shipped].filter(([, item]) => item === name).map(([file]) => file)));
    const files = closure.files.filter((file) => !inherited.has(file));
    const tests = files.filter(isTestFile);
    if (tests.length > 0) throw new Error(`registry: ${source.name} would ship test code: ${tests.join(", ")}`);
    for (const file of files) shipped.set(file, source.name);

    const inheritedPackages = new Set((source.dependsOn ?? []).flatMap((name) => packagesOf.get(name) ?? []));
    const packages = closure.packages.filter((name) => !HOST_PACKAGES.has(name) && !inheritedPackages.has(name));
    packagesOf.set(source.name, [...packages, ...inheritedPackages]);
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
      ...(source.dependsOn ? { registryDependencies: source.dependsOn.map((name) => `${registryUrl}/${name}.json`) } : {}),
      dependencies,
      devDependencies,
      envVars: source.envVars,
      files: files.map((file) => ({ path: file, type: "registry:file", target: targetOf(file) })),
    };
  });
  return {
    $schema: "https://ui.shadcn.com/schema/registry.json",
    name: "authing-qr-login",
    homepage: registryUrl.replace(/\/r$/, ""),
    items,
  };
}
