// Run by lib/qr-login/platform/without-redis.int.test.ts in a child process where "redis" cannot
// be resolved (without-redis-hook.mjs): the start of the QR login client, its state, and the
// provider's store, as a host app without the package runs them. Prints one RESULT line.
import { createRequire } from "node:module";
import path from "node:path";

const outcome: Record<string, unknown> = {};
const message = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

async function main() {
  // The hook works, or this proves nothing.
  try {
    createRequire(path.join(process.cwd(), "package.json")).resolve("redis");
    outcome.redisResolvable = true;
  } catch {
    outcome.redisResolvable = false;
  }
  // Loaded as the routes load them: with REDIS_URL set or not, importing needs no redis.
  const { getClientState } = await import("@/lib/qr-login/platform/client-state");
  const { startQrLoginServer } = await import("@/lib/qr-login/platform/server-start");
  const { getStore } = await import("@/lib/qr-login/provider/store");
  try {
    outcome.store = getStore().constructor.name;
  } catch (error) {
    outcome.storeError = message(error);
  }
  try {
    const state = getClientState();
    outcome.clientState = state.constructor.name;
    outcome.allowed = (await state.consumeRateLimit("without-redis", 1, 60)).allowed;
  } catch (error) {
    outcome.clientStateError = message(error);
  }
  process.stdout.write(`RESULT ${JSON.stringify(outcome)}\n`);
  // Last: with REDIS_URL set and no redis, it refuses the start (in production, exit 1).
  await startQrLoginServer();
  process.stdout.write("STARTED\n");
  process.exit(0);
}

void main();
