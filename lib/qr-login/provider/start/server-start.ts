import "server-only";

import type { AppConfig } from "@/lib/qr-login/platform/config";
import { registerReadinessCheck } from "@/lib/qr-login/platform/health/readiness";
import { log } from "@/lib/qr-login/platform/log";

import { secureDataDir } from "../data-dir";

/**
 * The embedded provider's part of the start, which the QR login client's start runs
 * (`startQrLoginServer({ provider: startEmbeddedProvider })` in instrumentation.ts): the data
 * folder's permissions, the demo accounts a production store still opens, and the in-process
 * transport the client reaches the provider by. Against real Authing the provider is never loaded.
 */
export async function startEmbeddedProvider(config: AppConfig): Promise<void> {
  secureDataDir(config.dataDir);
  if (!config.provider.embedded) return;
  if (config.production && !config.seedDemoUsers) void warnAboutLeftoverDemoAccounts();
  const { registerInProcessProvider } = await import("./in-process-transport");
  registerInProcessProvider();
  registerReadinessCheck({ name: "signingKey", run: hasSigningKey, publicError: "no signing key" });
}

/** Ready only with the key that signs its tokens loaded (the store answers first: readiness checks it). */
async function hasSigningKey(): Promise<void> {
  const [{ getProvider }, { signingKey }] = await Promise.all([import("@/lib/qr-login/provider/provider"), import("@/lib/qr-login/provider/tokens")]);
  if (!(await signingKey(await getProvider()))) throw new Error("no signing key");
}

/** Reads the store after the start (it may be remote): a warning, never a refusal to serve. */
async function warnAboutLeftoverDemoAccounts(): Promise<void> {
  try {
    const [{ getStore }, { demoAccountsWarning, demoAccountsWithPublishedPassword }] = await Promise.all([import("@/lib/qr-login/provider/store"), import("../demo-accounts-check")]);
    const warning = demoAccountsWarning(await demoAccountsWithPublishedPassword(getStore()));
    if (warning) log.warn("demo_accounts.open", warning);
  } catch (error) {
    log.warn("demo_accounts.unchecked", `Could not check the store for demo accounts: ${error instanceof Error ? error.message : "unknown error"}`);
  }
}
