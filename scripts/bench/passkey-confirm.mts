// What a passkey adds to a confirmation: the phone's side of CONFIRM over HTTP against the test
// build, for a user without a passkey (one request) and one with (confirmation options, the
// authenticator's signature, CONFIRM with the assertion, verified by the provider), one after
// the other on one server. The authenticator is test-support's software one (ES256 on
// node:crypto), so the figures leave out the person's fingerprint or face, which costs seconds.
// Run after `npm run test:build`: npx tsx scripts/bench/passkey-confirm.mts
// (rounds: PASSKEY_BENCH_ROUNDS, at most 25: a user may ask for 30 challenges a minute).
import { startAppServer } from "@/test-support/app-server";
import { SoftAuthenticator } from "@/test-support/soft-authenticator";
import { geneQrCode, setStatus, signin, v3 } from "@/test-support/test-client";

const ROUNDS = Math.min(25, Number(process.env.PASSKEY_BENCH_ROUNDS ?? 25));
const RP_ID = "localhost";
const ORIGIN = "https://companion.localhost";

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p90 ${percentile(sorted, 0.9).toFixed(1)} ms, mean ${(samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(1)} ms (${samples.length} confirmations)`;
};

const server = await startAppServer({ PASSKEY_RP_ID: RP_ID, PASSKEY_ORIGINS: ORIGIN });
try {
  const alice = (await signin(server, "alice", "client_secret_post")).access_token;
  const bob = (await signin(server, "bob", "client_secret_post")).access_token;
  const authenticator = new SoftAuthenticator(RP_ID, ORIGIN);
  const as = (token: string, path: string, body: unknown) => v3(server, path, { headers: { authorization: token }, body });
  const options = (await as(alice, "/api/v3/passkey-registration-options", {})).body.data;
  const added = await as(alice, "/api/v3/register-passkey", { credential: authenticator.create(options) });
  if (added.body.statusCode !== 200) throw new Error(`register-passkey: ${JSON.stringify(added.body)}`);

  const scanned = async (token: string) => {
    const { qrcodeId } = await geneQrCode(server);
    await setStatus(server, token, qrcodeId, "SCAN");
    return qrcodeId;
  };
  const timed = async (confirm: () => Promise<{ body: { statusCode: number } }>) => {
    const started = performance.now();
    const answer = await confirm();
    if (answer.body.statusCode !== 200) throw new Error(`CONFIRM refused: ${JSON.stringify(answer.body)}`);
    return performance.now() - started;
  };
  const without: number[] = [];
  const withPasskey: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const plain = await scanned(bob);
    without.push(await timed(() => setStatus(server, bob, plain, "CONFIRM")));
    const qrcodeId = await scanned(alice);
    withPasskey.push(
      await timed(async () => {
        const request = (await as(alice, "/api/v3/passkey-confirm-options", { qrcodeId })).body.data;
        return as(alice, "/api/v3/set-qrcode-status", { qrcodeId, action: "CONFIRM", userVerification: authenticator.get(request) });
      }),
    );
  }
  console.log(`CONFIRM without a passkey: ${summary(without)}`);
  console.log(`CONFIRM with a passkey (options, signature, CONFIRM): ${summary(withPasskey)}`);
} finally {
  await server.stop();
}
