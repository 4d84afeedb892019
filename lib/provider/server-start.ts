import "server-only";

import { getConfig } from "@/lib/config";
import { log } from "@/lib/ops/log";
import { installShutdownHandlers } from "@/lib/ops/shutdown";
import { closeClientStateIfOpen, getClientState } from "@/lib/qr-login/client-state";
import { isEvictionPolicyError } from "@/lib/qr-login/redis-link";

import { checkConfigOnStart } from "./check-config-on-start";

/** Once per server process, from instrumentation.ts (this app's, and the one the registry adds). */
export async function startQrLoginServer(): Promise<void> {
  checkConfigOnStart();
  // The embedded provider plugs into the QR login client through the client's one seam; against
  // real Authing it is never loaded.
  if (getConfig().provider.embedded) {
    const { registerInProcessProvider } = await import("./in-process-transport");
    registerInProcessProvider();
  }
  if (getConfig().redisUrl) void checkEvictionOnStart();
  // SIGTERM (every deploy) answers held status requests at once instead of after 25 s.
  installShutdownHandlers(closeClientStateIfOpen);
}

/**
 * A Redis that may evict sign-outs is reported at start, as an error naming the setting to
 * change, and readiness answers 503 until it is changed. Not a refusal to start: the policy is a
 * runtime setting (CONFIG SET fixes it without a deploy, and could break it after any start
 * check), so readiness, asked every few seconds, is where it is enforced.
 */
async function checkEvictionOnStart(): Promise<void> {
  try {
    await getClientState().checkEviction();
  } catch (error) {
    // The link has logged it, with the host.
    if (isEvictionPolicyError(error)) return;
    log.warn("store.eviction_policy_unchecked", `Could not check Redis's maxmemory-policy at start: ${error instanceof Error ? error.message : "unknown error"} (readiness checks it again)`, {
      variable: "REDIS_URL",
    });
  }
}
