import "server-only";

import { ConfigError, getConfig, type AppConfig } from "@/lib/qr-login/platform/config";
import { configWarnings } from "@/lib/qr-login/platform/config-warnings";
import { log } from "@/lib/qr-login/platform/log";
import { loadMetrics } from "@/lib/qr-login/platform/metrics";
import { loadRedis } from "@/lib/qr-login/platform/redis-connection";
import { loadTelemetry, telemetryRequested } from "@/lib/qr-login/platform/telemetry";
import { installShutdownHandlers } from "@/lib/qr-login/platform/shutdown";
import { closeClientStateIfOpen, getClientState } from "@/lib/qr-login/platform/client-state";
import { isEvictionPolicyError } from "@/lib/qr-login/platform/redis-link";

/**
 * What an identity provider served by this same app adds to the start (its own checks, its
 * in-process transport), run after the configuration check and before the server takes requests.
 * A ConfigError it throws refuses the start as the check's own does.
 */
export type ProviderStart = (config: AppConfig) => Promise<void> | void;

/**
 * Once per server process, from instrumentation.ts (the one each registry item adds, and this
 * app's): the configuration check, its warnings, the provider's start if there is one, and the
 * SIGTERM drain. A production server with missing or invalid configuration refuses to start and
 * says what is wrong, rather than failing on the first sign-in.
 */
export async function startQrLoginServer({ provider }: { provider?: ProviderStart } = {}): Promise<void> {
  let config: AppConfig;
  try {
    config = getConfig();
    for (const warning of configWarnings(config)) log.warn("config.warning", warning);
    // The optional packages, only for the features turned on (a missing one refuses the start).
    if (config.redisUrl) loadRedis();
    if (config.ops.metricsToken) await loadMetrics();
    if (telemetryRequested()) await loadTelemetry();
    await provider?.(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error("config.invalid", `${error.message}\n\nSee .env.example for what each variable means.`, { problems: error.problems });
    if (process.env.NODE_ENV === "production") process.exit(1);
    throw error;
  }
  if (config.redisUrl) void checkEvictionOnStart();
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
