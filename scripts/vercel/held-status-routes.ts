/**
 * The routes that may hold a status request open, found in the source: a route file whose handler
 * parses `qrCodeStatusQuerySchema` (the one query that carries `waitSeconds`), itself or through
 * the modules it re-exports.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { resolveImport } from "../../registry/import-graph";

/** Known to hold; the search must find at least these, or it has stopped finding them. */
export const KNOWN_HELD_STATUS_ROUTES = ["/api/qr-login/status", "/api/v3/get-qrcode-status", "/api/v3/check-qrcode-status"];

const WAITING_QUERY = /\bqrCodeStatusQuerySchema\b/;
const RE_EXPORT = /export\s*\{[^}]*\}\s*from\s*["']([^"']+)["']/g;

/** `app/(provider)/api/v3/get-qrcode-status/route.ts` → `/api/v3/get-qrcode-status`. */
export function routeOfRouteFile(appDir: string, file: string): string {
  const segments = path
    .relative(appDir, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment));
  return `/${segments.join("/")}`;
}

function routeFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) routeFiles(full, found);
    else if (/^route\.(ts|tsx|js|mjs)$/.test(entry.name)) found.push(full);
  }
  return found;
}

/**
 * Whether a module parses the waiting query, itself or through what it re-exports: route files
 * re-export handlers that live in their layer (lib/qr-login/provider/routes, lib/qr-login/client/routes), and the
 * deprecated check-qrcode-status twin re-exports get-qrcode-status.
 */
function holdsStatus(projectDir: string, file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  if (WAITING_QUERY.test(source)) return true;
  return [...source.matchAll(RE_EXPORT)].some(([, specifier]) => {
    const target = resolveImport(projectDir, path.relative(projectDir, file).split(path.sep).join("/"), specifier!);
    return target !== undefined && holdsStatus(projectDir, path.join(projectDir, target), seen);
  });
}

/** `appDir` is the project's `app/`, at its root (where `@/` points). */
export function findHeldStatusRoutes(appDir: string): string[] {
  const projectDir = path.dirname(appDir);
  return routeFiles(appDir)
    .filter((file) => holdsStatus(projectDir, file))
    .map((file) => routeOfRouteFile(appDir, file))
    .sort();
}
