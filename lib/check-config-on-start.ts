import { ConfigError, configWarnings, getConfig } from "@/lib/config";
import { secureDataDir } from "@/lib/data-dir";

/**
 * A production server with missing or invalid configuration refuses to start and says what is
 * wrong, rather than failing on the first sign-in.
 */
export function checkConfigOnStart(): void {
  try {
    const config = getConfig();
    for (const warning of configWarnings(config)) console.warn(`Warning: ${warning}`);
    secureDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n\nSee .env.example for what each variable means.\n`);
    if (process.env.NODE_ENV === "production") process.exit(1);
    throw error;
  }
}
