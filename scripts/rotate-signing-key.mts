// Rotates the embedded provider's signing key in the configured store (REDIS_URL or DATA_DIR):
// a new kid signs at once in every instance; the old key stays in the JWKS until the last token
// it signed has expired. Run with `npm run rotate-signing-key` where the app's variables are set.
import { getConfig } from "@/lib/config";
import { settingsFromConfig } from "@/lib/provider/provider";
import { KEY_ROTATION_MARGIN_MS, rotateSigningKey, signingKey } from "@/lib/provider/tokens";
import { getStore } from "@/lib/store";

const config = getConfig();
if (!config.provider.embedded) {
  console.error("AUTHING_APP_HOST is set: keys are Authing's to rotate, in its console.");
  process.exit(1);
}
const deps = { store: getStore(), now: Date.now, settings: settingsFromConfig(config) };
try {
  const before = (await signingKey(deps)).kid;
  const after = await rotateSigningKey(deps);
  console.log(`Signing key rotated: ${before} -> ${after}; ${before} leaves the JWKS in ${config.accessTokenTtlSeconds + KEY_ROTATION_MARGIN_MS / 1000} s.`);
} finally {
  await deps.store.close();
}
