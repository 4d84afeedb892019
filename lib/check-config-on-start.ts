import { ConfigError, getConfig } from "@/lib/config";

/**
 * A production server with missing or invalid configuration refuses to start and says what is
 * wrong, rather than failing on the first sign-in.
 */
export function checkConfigOnStart(): void {
  try {
    const config = getConfig();
    if (config.production && config.app.tokenEndpointAuthMethod === "none") {
      console.warn(
        "AUTHING_TOKEN_ENDPOINT_AUTH_METHOD=none: a ticket alone is exchanged for a token set, with no secret. " +
          "Anyone who reads a code's ticket signs in as its user: keep Authing's \"web polling returns full user info\" off, " +
          "and prefer client_secret_post or client_secret_basic for a server-side app.",
      );
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n\nSee .env.example for what each variable means.\n`);
    if (process.env.NODE_ENV === "production") process.exit(1);
    throw error;
  }
}
