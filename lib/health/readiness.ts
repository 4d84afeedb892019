import "server-only";

import { getConfig } from "@/lib/config";
import { withRequestId } from "@/lib/ops/request-context";
import { isDraining } from "@/lib/ops/shutdown";
import { getProvider } from "@/lib/provider/provider";
import { signingKey } from "@/lib/provider/tokens";
import { getClientState } from "@/lib/qr-login/client-state";

/** A probe answers within this, whatever hangs: a load balancer's check must not time out first. */
const CHECK_TIMEOUT_MS = 1_500;

type Check = { ok: true } | { ok: false; error: string };
export type Readiness = { status: "ready" | "not_ready"; failing: string[]; checks: Record<string, Check> };

const noStore = { "cache-control": "no-store" };

/** A failure a check words itself, fit for anyone who asks. */
class CheckFailed extends Error {}

async function check(work: () => Promise<unknown>): Promise<Check> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([work(), timeout]);
    return { ok: true };
  } catch (error) {
    // The route is public: what failed, never where. A store's own message names its host and
    // port; the store logs it (store.unavailable) for the operator.
    return { ok: false, error: error instanceof CheckFailed ? error.message : "unavailable" };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ready: not stopping, the store answers (SQLite open, Redis PING) and, with the embedded
 * provider, its signing key is loaded. Real Authing is never called: a probe every few seconds
 * must not cost a call to it.
 */
export async function readiness(): Promise<Readiness> {
  const config = getConfig();
  const store = await check(() => getClientState().ping());
  const checks: Record<string, Check> = {
    draining: isDraining() ? { ok: false, error: "shutting down" } : { ok: true },
    store,
  };
  if (config.provider.embedded) {
    checks.signingKey = store.ok
      ? await check(async () => {
          if (!(await signingKey(await getProvider()))) throw new CheckFailed("no signing key");
        })
      : { ok: false, error: "the store is not available" };
  }
  const failing = Object.entries(checks).filter(([, result]) => !result.ok).map(([name]) => name);
  return { status: failing.length ? "not_ready" : "ready", failing, checks };
}

export async function readinessResponse(): Promise<Response> {
  const result = await readiness();
  return Response.json(result, { status: result.status === "ready" ? 200 : 503, headers: noStore });
}

/** The process answers: nothing else is checked (a liveness probe restarts only a stuck process). */
export function healthResponse(): Response {
  return Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }, { headers: noStore });
}

/** GET /api/health/ready */
export const readinessRoute = (request: Request) => withRequestId(request, () => readinessResponse());

/** GET /api/health */
export const healthRoute = (request: Request) => withRequestId(request, async () => healthResponse());
