import { ConfigError, configWarnings, getConfig } from "@/lib/config";

/**
 * A production server with missing or invalid configuration refuses to start and says what is
 * wrong, rather than failing on the first sign-in.
 */
export function checkConfigOnStart(): void {
  try {
    for (const warning of configWarnings(getConfig())) console.warn(`Warning: ${warning}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n\nSee .env.example for what each variable means.\n`);
    if (process.env.NODE_ENV === "production") process.exit(1);
    throw error;
  }
}
