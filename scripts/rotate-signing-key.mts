// Rotates the embedded provider's signing key in the configured store (REDIS_URL or DATA_DIR):
// a new kid signs at once in every instance; the old key stays in the JWKS until the last token
// it signed has expired. Run with `npm run rotate-signing-key` where the app's variables are set.
// `npm run rotate-signing-key -- --revoke` (a leaked key): the old key leaves the JWKS at once and
// every token it signed is refused by every instance; sessions get new tokens at their next refresh.
import { getConfig } from "@/lib/qr-login/platform/config";
import { settingsFromConfig } from "@/lib/qr-login/provider/provider";
import { KEY_ROTATION_MARGIN_MS, rotateSigningKey, signingKey } from "@/lib/qr-login/provider/tokens";
import { getStore } from "@/lib/qr-login/provider/store";

const config = getConfig();
if (!config.provider.embedded) {
  console.error("AUTHING_APP_HOST is set: keys are Authing's to rotate, in its console.");
  process.exit(1);
}
const deps = { store: getStore(), now: Date.now, settings: settingsFromConfig(config) };
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--revoke");
if (unknown.length > 0) {
  console.error(`Unknown argument ${unknown.join(" ")}. Usage: npm run rotate-signing-key [-- --revoke]`);
  process.exit(2);
}
const revoke = args.includes("--revoke");
try {
  const before = (await signingKey(deps)).kid;
  const after = await rotateSigningKey(deps, { revoke });
  console.log(
    revoke
      ? `Signing key revoked: ${before} -> ${after}; ${before} is out of the JWKS and every token it signed is refused, now.`
      : `Signing key rotated: ${before} -> ${after}; ${before} leaves the JWKS in ${config.accessTokenTtlSeconds + KEY_ROTATION_MARGIN_MS / 1000} s.`,
  );
} finally {
  await deps.store.close();
}
