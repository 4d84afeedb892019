/**
 * The routes that may hold a status request open, found in the source: a route handler that
 * parses `qrCodeStatusQuerySchema` (the one query that carries `waitSeconds`), or re-exports one.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Known to hold; the search must find at least these, or it has stopped finding them. */
export const KNOWN_HELD_STATUS_ROUTES = ["/api/qr-login/status", "/api/v3/get-qrcode-status", "/api/v3/check-qrcode-status"];

const WAITING_QUERY = /\bqrCodeStatusQuerySchema\b/;
const RE_EXPORT_OF_ROUTE = /export\s*\{[^}]*\}\s*from\s*["']([^"']*\/route)["']/g;

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

export function findHeldStatusRoutes(appDir: string): string[] {
  const files = routeFiles(appDir);
  const holding = new Set(files.filter((file) => WAITING_QUERY.test(readFileSync(file, "utf8"))));
  // A re-export of a holding route holds too (the deprecated check-qrcode-status twin).
  for (let grew = true; grew; ) {
    grew = false;
    for (const file of files) {
      if (holding.has(file)) continue;
      for (const [, target] of readFileSync(file, "utf8").matchAll(RE_EXPORT_OF_ROUTE)) {
        const targetFile = files.find((candidate) => candidate.replace(/\.(ts|tsx|js|mjs)$/, "") === path.resolve(path.dirname(file), target!));
        if (targetFile && holding.has(targetFile)) {
          holding.add(file);
          grew = true;
        }
      }
    }
  }
  return [...holding].map((file) => routeOfRouteFile(appDir, file)).sort();
}
