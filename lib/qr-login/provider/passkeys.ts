import "server-only";

import { createHash, randomBytes } from "node:crypto";

import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { log } from "@/lib/qr-login/platform/log";
import { limitRate, perMinuteAndHour, type RateLimitRule } from "@/lib/qr-login/platform/rate-limit";
import type { PasskeyChallengePurpose, PasskeyRecord, QrCodeRecord, UserRecord } from "@/lib/qr-login/provider/store/types";

import type { ProviderDeps } from "./deps";
import { ProviderError } from "./errors";

// Loaded on first use: with its certificate parsers it is 300 KB of server code, which every QR
// route would load, and only a passkey needs it; a cold start of any other route goes without. The
// verifiers load it before their try: a module that fails to load is the server's fault, not the
// passkey's.
const webauthn = () => import("@simplewebauthn/server");

/** How long the phone has to answer its authenticator's prompt. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;
const RP_NAME = "QR login";
/**
 * Challenges one user may ask for: each is a row (or key) for five minutes, and a phone needs one
 * per confirmation or new passkey. Far above any person's pace, far below a store's worth.
 */
export const PASSKEY_CHALLENGES_PER_USER: readonly RateLimitRule[] = perMinuteAndHour(30, 300);

// What a browser sends back (@simplewebauthn/browser's JSON): bounded, base64url, nothing else read.
const base64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, "must be base64url");
const credentialId = base64url(1366).min(1);
const clientResults = z.record(z.string(), z.unknown()).default({});

export const registrationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(16_384),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: clientResults,
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

export const assertionSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(1024),
    userHandle: base64url(512).optional(),
  }),
  clientExtensionResults: clientResults,
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});
export type Assertion = z.infer<typeof assertionSchema>;

/** What the companion lists: never the public key. */
export type PasskeySummary = Pick<PasskeyRecord, "id" | "transports" | "createdAt" | "lastUsedAt">;
const summaryOf = ({ id, transports, createdAt, lastUsedAt }: PasskeyRecord): PasskeySummary => ({ id, transports, createdAt, lastUsedAt });

function relyingParty(deps: ProviderDeps): { rpId: string; origins: string[] } {
  if (deps.settings.passkeys) return deps.settings.passkeys;
  throw new ProviderError(
    400,
    "Passkeys are off on this provider: its origin is not one browsers offer them on (https, or http on localhost; see PASSKEY_RP_ID in docs/configuration.md)",
    apiCodes.passkeysOff,
  );
}

const invalid = (why: string) => new ProviderError(403, `Passkey not accepted: ${why}`, apiCodes.passkeyInvalid);

/**
 * What a confirmation's challenge commits to: the code and its requester as the phone shows them
 * (address, browser, when it was asked for). The assertion signs over the challenge, so it
 * approves this code, asked for by this requester, and nothing else.
 */
function bindingOf(code: QrCodeRecord): Buffer {
  return createHash("sha256")
    .update(JSON.stringify(["qr-login confirm", code.id, code.context ?? {}, code.createdAt, code.expiresAt]))
    .digest()
    .subarray(0, 16);
}

async function newChallenge(deps: ProviderDeps, purpose: PasskeyChallengePurpose, userId: string | null, code?: QrCodeRecord): Promise<string> {
  // A sign-in's challenges (no user yet) are limited per address by their route.
  if (userId !== null) await limitRate(deps.store, `provider:passkeyChallenges:${userId}`, PASSKEY_CHALLENGES_PER_USER, deps.now());
  const challenge = Buffer.concat([randomBytes(16), code ? bindingOf(code) : randomBytes(16)]).toString("base64url");
  await deps.store.saveChallenge({ challenge, purpose, userId, qrcodeId: code?.id ?? null, expiresAt: deps.now() + PASSKEY_CHALLENGE_TTL_MS });
  return challenge;
}

/** The challenge a response echoes, from its clientDataJSON (verified again by the library). */
function echoedChallenge(clientDataJSON: string): string {
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    if (typeof challenge === "string") return challenge;
  } catch {
    // reported below
  }
  throw invalid("its client data names no challenge");
}

export async function passkeys(deps: ProviderDeps, user: UserRecord): Promise<PasskeySummary[]> {
  return (await deps.store.listPasskeys(user.id)).map(summaryOf);
}

/** Options for adding a passkey: a discoverable credential (resident key), user verification required. */
export async function registrationOptions(deps: ProviderDeps, user: UserRecord): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpId } = relyingParty(deps);
  const existing = await deps.store.listPasskeys(user.id);
  return (await webauthn()).generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rpId,
    userName: user.username ?? user.email ?? user.id,
    userDisplayName: user.nickname ?? user.username ?? "",
    userID: new TextEncoder().encode(user.id),
    challenge: Buffer.from(await newChallenge(deps, "register", user.id), "base64url"),
    attestationType: "none",
    excludeCredentials: existing.map(({ id, transports }) => ({ id, transports: transports as never })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    timeout: PASSKEY_CHALLENGE_TTL_MS,
  });
}

export async function registerPasskey(deps: ProviderDeps, user: UserRecord, response: RegistrationResponseJSON): Promise<PasskeySummary> {
  const { rpId, origins } = relyingParty(deps);
  const challenge = await deps.store.takeChallenge({ challenge: echoedChallenge(response.response.clientDataJSON), now: deps.now() });
  if (!challenge || challenge.purpose !== "register" || challenge.userId !== user.id) {
    throw invalid("its challenge is unknown, used or expired: ask for new options and try again");
  }
  const { verifyRegistrationResponse } = await webauthn();
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      requireUserVerification: true,
    });
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : "it could not be verified");
  }
  if (!verified.verified || !verified.registrationInfo) throw invalid("it could not be verified");
  const { credential } = verified.registrationInfo;
  const record: PasskeyRecord = {
    id: credential.id,
    userId: user.id,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: response.response.transports ?? [],
    createdAt: deps.now(),
    lastUsedAt: null,
  };
  if (!(await deps.store.insertPasskey(record))) throw invalid("this passkey is registered already");
  log.info("passkey.added", "passkey added", { userId: user.id });
  return summaryOf(record);
}

export async function removePasskey(deps: ProviderDeps, user: UserRecord, id: string): Promise<{ success: true }> {
  if (!(await deps.store.deletePasskey({ id, userId: user.id }))) {
    throw new ProviderError(404, "No such passkey for this user", apiCodes.passkeyInvalid);
  }
  log.info("passkey.removed", "passkey removed", { userId: user.id });
  return { success: true };
}

/** Options for the confirmation of `code` by `user`, who scanned it: the challenge is bound to the code. */
export async function confirmationOptions(deps: ProviderDeps, user: UserRecord, code: QrCodeRecord): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { rpId } = relyingParty(deps);
  if (code.scannedBy !== user.id || code.status !== "SCANNED") {
    throw new ProviderError(400, "Scan the QR code with this account before confirming it", apiCodes.qrCodeWrongState);
  }
  const existing = await deps.store.listPasskeys(user.id);
  return (await webauthn()).generateAuthenticationOptions({
    rpID: rpId,
    challenge: Buffer.from(await newChallenge(deps, "confirm", user.id, code), "base64url"),
    allowCredentials: existing.map(({ id, transports }) => ({ id, transports: transports as never })),
    userVerification: "required",
    timeout: PASSKEY_CHALLENGE_TTL_MS,
  });
}

/**
 * Before a CONFIRM: when the user has a passkey (and passkeys are on), an assertion from one of
 * theirs, with user verification, over a challenge issued for this code and not used before.
 */
export async function requireConfirmation(deps: ProviderDeps, user: UserRecord, code: QrCodeRecord, assertion: Assertion | undefined): Promise<void> {
  if (!deps.settings.passkeys) return;
  const owned = await deps.store.listPasskeys(user.id);
  if (owned.length === 0) return;
  if (!assertion) {
    throw new ProviderError(
      403,
      "Passkey required: this account confirms with its passkey. Ask for passkey-confirm-options and send the assertion as userVerification",
      apiCodes.passkeyRequired,
    );
  }
  const challenge = await deps.store.takeChallenge({ challenge: echoedChallenge(assertion.response.clientDataJSON), now: deps.now() });
  if (!challenge || challenge.purpose !== "confirm" || challenge.userId !== user.id) {
    throw invalid("its challenge is unknown, used or expired: ask for new options and try again");
  }
  if (challenge.qrcodeId !== code.id || !Buffer.from(challenge.challenge, "base64url").subarray(16).equals(bindingOf(code))) {
    throw invalid("it approves another QR code");
  }
  const passkey = owned.find((each) => each.id === assertion.id);
  if (!passkey) throw invalid("it was made with a passkey this account does not have (removed, or another account's)");
  await verifyAssertion(deps, passkey, challenge.challenge, assertion);
}

/** Options for signing in with a passkey: no user named, so the browser offers its discoverable ones (autofill too). */
export async function signInOptions(deps: ProviderDeps): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { rpId } = relyingParty(deps);
  return (await webauthn()).generateAuthenticationOptions({
    rpID: rpId,
    challenge: Buffer.from(await newChallenge(deps, "sign-in", null), "base64url"),
    userVerification: "required",
    timeout: PASSKEY_CHALLENGE_TTL_MS,
  });
}

/** The user an assertion over a sign-in challenge proves, with user verification. */
export async function authenticateByPasskey(deps: ProviderDeps, assertion: Assertion): Promise<UserRecord> {
  relyingParty(deps);
  const challenge = await deps.store.takeChallenge({ challenge: echoedChallenge(assertion.response.clientDataJSON), now: deps.now() });
  if (!challenge || challenge.purpose !== "sign-in") throw invalid("its challenge is unknown, used or expired: ask for new options and try again");
  const passkey = await deps.store.findPasskey(assertion.id);
  const userHandle = assertion.response.userHandle && Buffer.from(assertion.response.userHandle, "base64url").toString("utf8");
  if (!passkey || (userHandle && userHandle !== passkey.userId)) {
    throw invalid("this site knows no such passkey (removed, or made for another site): sign in with your password");
  }
  await verifyAssertion(deps, passkey, challenge.challenge, assertion);
  const user = await deps.store.findUserById(passkey.userId);
  if (!user) throw invalid("its account no longer exists");
  return user;
}

async function verifyAssertion(deps: ProviderDeps, passkey: PasskeyRecord, expectedChallenge: string, assertion: Assertion): Promise<void> {
  const { rpId, origins } = relyingParty(deps);
  const { verifyAuthenticationResponse } = await webauthn();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: assertion as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      credential: { id: passkey.id, publicKey: Buffer.from(passkey.publicKey, "base64url"), counter: passkey.counter },
      requireUserVerification: true,
    });
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : "it could not be verified");
  }
  if (!verified.verified) throw invalid("its signature does not verify");
  const used = await deps.store.usePasskey({ id: passkey.id, userId: passkey.userId, counter: verified.authenticationInfo.newCounter, now: deps.now() });
  if (!used) throw invalid("its signature counter did not move forward (a copied authenticator, or a replay)");
}
