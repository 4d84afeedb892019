import "server-only";

import { getConfig } from "@/lib/qr-login/platform/config";
import { log } from "@/lib/qr-login/platform/log";
import { bearsToken } from "@/lib/qr-login/platform/metrics";
import { withRequestId } from "@/lib/qr-login/platform/request-context";
import { isDraining } from "@/lib/qr-login/platform/shutdown";
import { getClientState } from "@/lib/qr-login/platform/client-state";
import { isEvictionPolicyError } from "@/lib/qr-login/platform/redis-link";

/** A probe answers within this, whatever hangs: a load balancer's check must not time out first. */
const CHECK_TIMEOUT_MS = 1_500;

type Check = { ok: true } | { ok: false; error: string };
export type Readiness = { status: "ready" | "not_ready"; failing: string[]; checks: Record<string, Check> };
/** A failing check's own message (`error`, for the log and the bearer of METRICS_TOKEN) and what anyone may read. */
type Failure = { ok: false; error: string; publicError: string };

const noStore = { "cache-control": "no-store" };

/**
 * What a failing check tells anyone who asks: never the store's host, port or address (a
 * store's own messages name its host). A Redis that may evict says why in public too: its
 * message names the setting to change, not the host.
 */
const STORE_UNREACHABLE = "store unreachable";

async function check(work: () => Promise<unknown>, publicError: string): Promise<{ ok: true } | Failure> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([work(), timeout]);
    return { ok: true };
  } catch (error) {
    if (isEvictionPolicyError(error)) return { ok: false, error: error.message, publicError: error.message };
    return { ok: false, error: error instanceof Error ? error.message : "failed", publicError };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A check a part of the app adds at its start (the embedded provider: its signing key), run once
 * the store answers. Kept on globalThis: instrumentation.ts registers it, and Next bundles
 * instrumentation apart from the route handlers that read it.
 */
export type ReadinessCheck = { name: string; run: () => Promise<unknown>; publicError: string };
const registryKey = Symbol.for("authing-qr-login.readiness-checks");
type Registry = { [registryKey]?: Map<string, ReadinessCheck> };

export function registerReadinessCheck(added: ReadinessCheck): void {
  const registry = globalThis as Registry;
  (registry[registryKey] ??= new Map()).set(added.name, added);
}

const storeDown: Failure = { ok: false, error: "the store is not available", publicError: STORE_UNREACHABLE };

/**
 * Ready: not stopping, the store answers (SQLite open, Redis PING), a Redis keeps every key
 * until its TTL (maxmemory-policy noeviction: otherwise sign-outs could be evicted) and, with the
 * embedded provider, its signing key is loaded. Real Authing is never called: a probe every few
 * seconds must not cost a call to it.
 */
async function runChecks(): Promise<Record<string, { ok: true } | Failure>> {
  const config = getConfig();
  const clientState = getClientState();
  const store = await check(() => clientState.ping(), STORE_UNREACHABLE);
  const checks: Record<string, { ok: true } | Failure> = {
    draining: isDraining() ? { ok: false, error: "shutting down", publicError: "shutting down" } : { ok: true },
    store,
  };
  if (config.redisUrl) checks.evictionPolicy = store.ok ? await check(() => clientState.checkEviction(), STORE_UNREACHABLE) : storeDown;
  for (const added of (globalThis as Registry)[registryKey]?.values() ?? []) {
    checks[added.name] = store.ok ? await check(added.run, added.publicError) : storeDown;
  }
  return checks;
}

/** Readiness, each failing check with its own message (`detailed`) or only what anyone may read. */
function view(checks: Record<string, { ok: true } | Failure>, detailed: boolean): Readiness {
  const failing = Object.entries(checks).filter(([, result]) => !result.ok).map(([name]) => name);
  const shown = Object.fromEntries(
    Object.entries(checks).map(([name, result]): [string, Check] => [
      name,
      result.ok ? result : { ok: false, error: detailed ? result.error : result.publicError },
    ]),
  );
  return { status: failing.length ? "not_ready" : "ready", failing, checks: shown };
}

/** Readiness as anyone may read it. */
export async function readiness(): Promise<Readiness> {
  return view(await runChecks(), false);
}

/** The failure last logged, so that a probe every few seconds logs each change once. */
let loggedFailure = "";

/** The detail goes to the log (once per change) and to the bearer of METRICS_TOKEN, never to anyone else. */
export async function readinessResponse(request?: Request): Promise<Response> {
  const checks = await runChecks();
  const failure = Object.entries(checks)
    .flatMap(([name, result]) => (result.ok ? [] : [`${name}: ${result.error}`]))
    .join("; ");
  if (failure && failure !== loggedFailure) log.warn("readiness.not_ready", `Not ready: ${failure}`);
  loggedFailure = failure;
  const token = getConfig().ops.metricsToken;
  const result = view(checks, Boolean(request && token && bearsToken(request, token)));
  return Response.json(result, { status: result.status === "ready" ? 200 : 503, headers: noStore });
}

/** The process answers: nothing else is checked (a liveness probe restarts only a stuck process). */
export function healthResponse(): Response {
  return Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }, { headers: noStore });
}

/** GET /api/health/ready */
export const readinessRoute = (request: Request) => withRequestId(request, () => readinessResponse(request));

/** GET /api/health */
export const healthRoute = (request: Request) => withRequestId(request, async () => healthResponse());
