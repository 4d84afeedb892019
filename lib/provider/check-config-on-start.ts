import { ConfigError, configWarnings, getConfig } from "@/lib/config";
import { secureDataDir } from "./data-dir";

/**
 * A production server with missing or invalid configuration refuses to start and says what is
 * wrong, rather than failing on the first sign-in.
 */
export function checkConfigOnStart(): void {
  try {
    const config = getConfig();
    for (const warning of configWarnings(config)) console.warn(`Warning: ${warning}`);
    secureDataDir(config.dataDir);
    if (config.production && config.provider.embedded && !config.seedDemoUsers) void warnAboutLeftoverDemoAccounts();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n\nSee .env.example for what each variable means.\n`);
    if (process.env.NODE_ENV === "production") process.exit(1);
    throw error;
  }
}

/** Reads the store after the start (it may be remote): a warning, never a refusal to serve. */
async function warnAboutLeftoverDemoAccounts(): Promise<void> {
  try {
    const [{ getStore }, { demoAccountsWarning, demoAccountsWithPublishedPassword }] = await Promise.all([
      import("@/lib/store"),
      import("@/lib/provider/demo-accounts-check"),
    ]);
    const warning = demoAccountsWarning(await demoAccountsWithPublishedPassword(getStore()));
    if (warning) console.warn(`Warning: ${warning}`);
  } catch (error) {
    console.warn(`Warning: could not check the store for demo accounts: ${error instanceof Error ? error.message : "unknown error"}`);
  }
}
