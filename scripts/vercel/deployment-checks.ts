/**
 * What a Vercel deployment of this app must hold, checked on `vercel build`'s Build Output
 * (`.vercel/output`, https://vercel.com/docs/build-output-api/v3) before anything is deployed.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** Vercel's limit for a Node function, uncompressed (the CLI's MAX_UNCOMPRESSED_LAMBDA_SIZE). */
export const FUNCTION_SIZE_LIMIT_BYTES = 250 * 1024 * 1024;

/** One deployed function: several routes often share it (their `.func` entries are symlinks). */
export type DeployedFunction = {
  /** The `.func` folder that holds it, relative to `functions/`. */
  name: string;
  routes: string[];
  runtime: string;
  maxDuration: number | undefined;
  sizeBytes: number;
  /** Every file the function carries, as its path inside the function. */
  files: Set<string>;
  /** Traced files whose source is gone: the deployment would lack them. */
  missingFiles: string[];
};

/** `api/qr-login/status.func` → `/api/qr-login/status`; `index.func` → `/`. */
export function routeOfFunctionEntry(entry: string): string {
  const route = `/${entry.replace(/\.func$/, "").split(path.sep).join("/")}`;
  return route === "/index" ? "/" : route;
}

function findFunctionEntries(dir: string, root = dir, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.name.endsWith(".func")) found.push(path.relative(root, full));
    else if (entry.isDirectory()) findFunctionEntries(full, root, found);
  }
  return found;
}

function filesUnder(dir: string, root = dir, sizes = new Map<string, number>()): Map<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(full, root, sizes);
    else sizes.set(path.relative(root, full), entry.isFile() ? lstatSync(full).size : 0);
  }
  return sizes;
}

/**
 * The functions of a Build Output. `vercel build` lists traced files in `.vc-config.json`'s
 * `filePathMap` (path in the function → source path in the project) instead of copying them, so
 * a function's size is its folder plus those sources. Symlinks count as nothing.
 */
export function readDeployedFunctions(outputDir: string, projectDir: string): DeployedFunction[] {
  const functionsDir = path.join(outputDir, "functions");
  const byFolder = new Map<string, DeployedFunction>();
  for (const entry of findFunctionEntries(functionsDir)) {
    const folder = realpathSync(path.join(functionsDir, entry));
    let fn = byFolder.get(folder);
    if (!fn) {
      const config = JSON.parse(readFileSync(path.join(folder, ".vc-config.json"), "utf8")) as {
        runtime?: string;
        maxDuration?: number;
        filePathMap?: Record<string, string>;
      };
      const sizes = filesUnder(folder);
      const missingFiles: string[] = [];
      for (const [inFunction, source] of Object.entries(config.filePathMap ?? {})) {
        const sourcePath = path.resolve(projectDir, source);
        if (!existsSync(sourcePath) && !isSymlink(sourcePath)) {
          missingFiles.push(inFunction);
          continue;
        }
        const stat = lstatSync(sourcePath);
        sizes.set(inFunction, stat.isFile() ? stat.size : 0);
      }
      fn = {
        name: path.relative(functionsDir, folder),
        routes: [],
        runtime: config.runtime ?? "(none)",
        maxDuration: config.maxDuration,
        sizeBytes: [...sizes.values()].reduce((sum, size) => sum + size, 0),
        files: new Set(sizes.keys()),
        missingFiles,
      };
      byFolder.set(folder, fn);
    }
    fn.routes.push(routeOfFunctionEntry(entry));
  }
  return [...byFolder.values()].sort((a, b) => b.sizeBytes - a.sizeBytes);
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The files Node loads for a package and the packages it depends on (package.json and the entry
 * it resolves to), as paths relative to the project: what a function must carry to `require` it.
 */
export function filesToLoadPackage(packageName: string, projectDir: string, seen = new Set<string>()): string[] {
  if (seen.has(packageName)) return [];
  seen.add(packageName);
  const requireFromProject = createRequire(path.join(projectDir, "package.json"));
  const entry = requireFromProject.resolve(packageName);
  const manifestPath = requireFromProject.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { dependencies?: Record<string, string> };
  const own = [manifestPath, entry].map((file) => path.relative(projectDir, file).split(path.sep).join("/"));
  return [...own, ...Object.keys(manifest.dependencies ?? {}).flatMap((dependency) => filesToLoadPackage(dependency, projectDir, seen))];
}

export type DeploymentExpectations = {
  /** Routes that may hold a status request open for up to `longestWaitSeconds`. */
  heldStatusRoutes: string[];
  longestWaitSeconds: number;
  /** Every function runs on `nodejs<nodeMajor>.x`. */
  nodeMajor: number;
  sizeLimitBytes: number;
  /** Routes that open the store, and the files (see filesToLoadPackage) the store needs there. */
  storeRoutes: string[];
  storeFiles: string[];
  /** Folders no function should carry (what never loads on Vercel), e.g. `node_modules/better-sqlite3/`. */
  unusedFolders: string[];
};

/** Every way the Build Output falls short of the expectations, as sentences; none when it holds. */
export function findDeploymentProblems(functions: DeployedFunction[], expected: DeploymentExpectations): string[] {
  const problems: string[] = [];
  const functionOf = (route: string) => functions.find((fn) => fn.routes.includes(route));

  if (functions.length === 0) problems.push("the Build Output has no functions");
  for (const route of expected.heldStatusRoutes) {
    const fn = functionOf(route);
    if (!fn) problems.push(`${route} holds status requests but has no function`);
    else if (fn.maxDuration === undefined) problems.push(`${route} holds status requests for up to ${expected.longestWaitSeconds} s but declares no maxDuration`);
    else if (fn.maxDuration <= expected.longestWaitSeconds) {
      problems.push(`${route} holds status requests for up to ${expected.longestWaitSeconds} s but its maxDuration is ${fn.maxDuration} s`);
    }
  }
  const runtime = `nodejs${expected.nodeMajor}.x`;
  for (const fn of functions) {
    if (fn.runtime !== runtime) problems.push(`${fn.name} runs on ${fn.runtime}, not ${runtime}`);
    if (fn.sizeBytes > expected.sizeLimitBytes) {
      problems.push(`${fn.name} is ${formatMegabytes(fn.sizeBytes)}, over the ${formatMegabytes(expected.sizeLimitBytes)} limit`);
    }
    for (const file of fn.missingFiles) problems.push(`${fn.name} lists ${file}, which is not on disk`);
    for (const folder of expected.unusedFolders) {
      if ([...fn.files].some((file) => file.startsWith(folder))) problems.push(`${fn.name} carries ${folder}, which never loads on Vercel`);
    }
  }
  for (const route of expected.storeRoutes) {
    const fn = functionOf(route);
    if (!fn) {
      problems.push(`${route} opens the store but has no function`);
      continue;
    }
    const lacking = expected.storeFiles.filter((file) => !fn.files.has(file));
    if (lacking.length > 0) {
      const shown = lacking.slice(0, 3).join(", ") + (lacking.length > 3 ? ", …" : "");
      problems.push(`${route} (${fn.name}) opens the store but lacks ${lacking.length} of the ${expected.storeFiles.length} files the Redis client loads: ${shown}`);
    }
  }
  return problems;
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
