import "server-only";

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import {
  apiCodes,
  jsonByteLength,
  MAX_PUBLIC_ATTACHED_JSON_BYTES,
  requesterContextSchema,
  type GeneQrCodeData,
  type GeneQrCodeRequest,
  type QrCodeAction,
  type QrCodeStatus,
  type QrCodeStatusData,
  type RequesterContext,
  type SetQrCodeStatusData,
} from "@/lib/qr-login/client/authing/schemas";
import { log } from "@/lib/qr-login/platform/log";
import { metrics } from "@/lib/qr-login/platform/metrics";
import { isDraining, onDrain } from "@/lib/qr-login/platform/shutdown";
import { inSpan } from "@/lib/qr-login/platform/telemetry";
import type { QrCodeRecord, UserRecord } from "@/lib/qr-login/provider/store/types";

import type { ProviderDeps } from "./deps";
import { ProviderError } from "./errors";
import { requireConfirmation, type Assertion } from "./passkeys";
import { qrCodeContent } from "./qr-content";
import { issueTokens, type IssuedTokens } from "./tokens";
import { briefUserInfoOf } from "./users";

/** 128 random bits for ids, 256 for tickets: neither can be guessed. */
export const newQrCodeId = () => randomBytes(16).toString("base64url");
const newTicket = () => randomBytes(32).toString("base64url");
const sha256 = (text: string) => createHash("sha256").update(text).digest();

export const qrCodeImageUrl = (origin: string, qrcodeId: string) =>
  `${origin}/api/v3/qrcode-image?qrcodeId=${encodeURIComponent(qrcodeId)}`;

const notFound = () => new ProviderError(404, "QR code does not exist", apiCodes.qrCodeNotFound);

/** Who asked for a code, as the provider can vouch: the app (which proved its secret), or what it saw itself. */
export type CodeRequester = { app: boolean; ip: string | undefined; userAgent: string | undefined };

/**
 * `context` (the requesting browser's address and user agent, shown on the phone) is taken from
 * the app only: anyone else could make the phone show the victim's own network. For any other
 * caller the phone is shown what the provider itself saw, and warns when that is unknown.
 */
function contextOf(request: GeneQrCodeRequest, requester: CodeRequester): RequesterContext {
  if (requester.app) {
    const named = requesterContextSchema.safeParse(request.context ?? {});
    return named.success ? named.data : {};
  }
  return {
    ...(requester.ip ? { ip: requester.ip } : {}),
    ...(requester.userAgent ? { userAgent: requester.userAgent.slice(0, 512) } : {}),
  };
}

export function geneQrCode(
  deps: ProviderDeps,
  request: GeneQrCodeRequest,
  origin: string,
  requester: CodeRequester = { app: true, ip: undefined, userAgent: undefined },
): Promise<GeneQrCodeData> {
  return inSpan("qr_login.create", { "qr_login.poll_guarded": Boolean(request.withPollSecret) }, async (span) => {
    const created = await createQrCode(deps, request, origin, requester);
    span.setAttribute("qr_login.qrcode_id", created.qrcodeId);
    metrics().codesCreated.inc();
    log.info("qr_code.created", "QR code created", { qrcodeId: created.qrcodeId });
    return created;
  });
}

/**
 * A caller that is not the app may attach only MAX_PUBLIC_ATTACHED_JSON_BYTES of customData: its
 * codes are the ones a flood is made of, and each keeps its customData as long as the code.
 */
function requireSmallPublicCustomData(request: GeneQrCodeRequest, requester: CodeRequester): void {
  if (requester.app || request.customData === undefined || jsonByteLength(request.customData) <= MAX_PUBLIC_ATTACHED_JSON_BYTES) return;
  throw new ProviderError(
    400,
    `Invalid request: customData: must be at most ${MAX_PUBLIC_ATTACHED_JSON_BYTES} bytes of JSON from a caller that does not prove the app secret`,
    apiCodes.invalidRequest,
  );
}

async function createQrCode(deps: ProviderDeps, request: GeneQrCodeRequest, origin: string, requester: CodeRequester): Promise<GeneQrCodeData> {
  requireSmallPublicCustomData(request, requester);
  const id = newQrCodeId();
  const now = deps.now();
  const pollSecret = request.withPollSecret ? randomBytes(32).toString("base64url") : undefined;
  const context = contextOf(request, requester);
  const customData = request.customData ?? null;
  const expiresAt = now + deps.settings.qrCodeTtlSeconds * 1000;
  await deps.store.insertQrCode({
    id,
    appId: deps.settings.appId,
    content: qrCodeContent(deps.settings, origin, { id, createdAt: now, expiresAt, customData }),
    customData,
    context: Object.keys(context).length > 0 ? context : null,
    pollSecretHash: pollSecret ? sha256(pollSecret).toString("hex") : null,
    createdAt: now,
    expiresAt,
  });
  return { qrcodeId: id, url: qrCodeImageUrl(origin, id), ...(pollSecret ? { pollSecret } : {}) };
}

/** The code as the app that made it sees it; codes of other apps do not exist for it. */
export async function findOwnQrCode(deps: ProviderDeps, qrcodeId: string): Promise<QrCodeRecord> {
  const code = await deps.store.findQrCode(qrcodeId);
  if (!code || code.appId !== deps.settings.appId) throw notFound();
  return code;
}

const isOpen = (code: QrCodeRecord) => code.status === "PENDING" || code.status === "SCANNED";
const effectiveStatus = (code: QrCodeRecord, now: number) =>
  isOpen(code) && code.expiresAt <= now ? "EXPIRED" : code.status;

/** Codes made without a poll secret keep Authing's behaviour; the others need the right one. */
function holdsPollSecret(code: QrCodeRecord, presented: string | undefined): boolean {
  if (code.pollSecretHash === null) return true;
  if (!presented) return false;
  return timingSafeEqual(sha256(presented), Buffer.from(code.pollSecretHash, "hex"));
}

/**
 * What a poller may see: status and, if it holds the code's poll secret (or the code has none),
 * who scanned (name and photo only, and not after CANCEL) and the ticket while it can be
 * redeemed. Never a tokenSet: Authing's "web polling returns full user info" is off here.
 */
async function statusOf(deps: ProviderDeps, code: QrCodeRecord, pollSecret: string | undefined): Promise<QrCodeStatusData> {
  const now = deps.now();
  const status = effectiveStatus(code, now);
  const data: QrCodeStatusData = { status };
  if (!holdsPollSecret(code, pollSecret)) return data;
  if ((status === "SCANNED" || status === "AUTHORIZED") && code.scannedBy) {
    const scanner = await deps.store.findUserById(code.scannedBy);
    if (scanner) data.briefUserInfo = briefUserInfoOf(scanner);
  }
  if (status === "AUTHORIZED" && code.ticket && code.redeemedAt === null && (code.ticketExpiresAt ?? 0) > now) {
    data.ticket = code.ticket;
  }
  return data;
}

export type StatusWait = {
  waitSeconds?: number;
  knownStatus?: QrCodeStatus;
  signal?: AbortSignal;
  pollSecret?: string;
  /** A slot for holding this request (see holdWait); without one it is answered at once. */
  admit?: () => (() => void) | undefined;
};

/** How soon a caller whose wait was not held should ask again: it polls instead of waiting. */
export const UNHELD_POLL_AFTER_MS = 2000;

/**
 * The code's status, at once or, given `waitSeconds` and `knownStatus`, as soon as it differs
 * from `knownStatus`: woken by the store's own announcements of transitions, or at the code's
 * expiry, or when the wait ends (answering the unchanged status). Subscribes before reading, so
 * a transition between the read and the wait is not missed; an abort ends it whenever it lands,
 * during the subscription too; leaves nothing behind however it ends.
 */
export async function getQrCodeStatus(
  deps: ProviderDeps,
  qrcodeId: string,
  { waitSeconds = 0, knownStatus, signal, pollSecret, admit }: StatusWait = {},
): Promise<QrCodeStatusData> {
  // A stopping instance holds nothing: the page asks again, and another instance answers.
  if (waitSeconds <= 0 || knownStatus === undefined || signal?.aborted || isDraining()) {
    return statusOf(deps, await findOwnQrCode(deps, qrcodeId), pollSecret);
  }
  return inSpan("qr_login.status_wait", { "qr_login.qrcode_id": qrcodeId, "qr_login.known_status": knownStatus }, async (span) => {
    const answer = await waitForStatus(deps, qrcodeId, { waitSeconds, knownStatus, signal, pollSecret, admit });
    span.setAttribute("qr_login.status", answer.status);
    return answer;
  });
}

async function waitForStatus(
  deps: ProviderDeps,
  qrcodeId: string,
  { waitSeconds, knownStatus, signal, pollSecret, admit }: StatusWait & { waitSeconds: number; knownStatus: QrCodeStatus },
): Promise<QrCodeStatusData> {
  const release = admit ? admit() : () => {};
  if (!release) {
    // Too many held already: the current status now, and a hint to poll (a crowd degrades to polling).
    return { ...(await statusOf(deps, await findOwnQrCode(deps, qrcodeId), pollSecret)), pollAfterMs: UNHELD_POLL_AFTER_MS };
  }
  let wake = () => {};
  let changed = false;
  const woken = new Promise<void>((resolve) => (wake = resolve));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unwatch = () => {};
  // Listening before subscribing: an abort that lands while the subscription is made still counts.
  signal?.addEventListener("abort", wake);
  const forgetDrain = onDrain(() => wake());
  const gauge = metrics().waitsHeld;
  gauge.inc();
  try {
    unwatch = await deps.store.watchQrCode(qrcodeId, () => {
      changed = true;
      wake();
    });
    const code = await findOwnQrCode(deps, qrcodeId);
    const current = await statusOf(deps, code, pollSecret);
    if (current.status !== knownStatus || signal?.aborted) return current;
    const waitEnds = deps.now() + waitSeconds * 1000;
    // A millisecond past expiry, so the re-read already counts the code as expired.
    const wakeAt = isOpen(code) ? Math.min(waitEnds, code.expiresAt + 1) : waitEnds;
    timer = setTimeout(wake, Math.max(0, wakeAt - deps.now()));
    await woken;
    const after = await findOwnQrCode(deps, qrcodeId);
    const changedAt = after.decidedAt ?? after.scannedAt;
    if (changed && changedAt !== null && after.status !== knownStatus) {
      metrics().noticeLatency.observe(Math.max(0, Date.now() - changedAt) / 1000);
    }
    return statusOf(deps, after, pollSecret);
  } finally {
    gauge.dec();
    clearTimeout(timer);
    signal?.removeEventListener("abort", wake);
    forgetDrain();
    unwatch();
    release();
  }
}

function requesterOf(code: QrCodeRecord): NonNullable<SetQrCodeStatusData["requester"]> {
  const context = requesterContextSchema.safeParse(code.context ?? {});
  return {
    context: context.success ? context.data : {},
    requestedAt: new Date(code.createdAt).toISOString(),
    expiresAt: new Date(code.expiresAt).toISOString(),
  };
}

/** Why a compare-and-set found the code not in the state the action needs. */
function refusal(code: QrCodeRecord, action: QrCodeAction, user: UserRecord, now: number): ProviderError {
  if (effectiveStatus(code, now) === "EXPIRED") return new ProviderError(400, "QR code has expired", apiCodes.qrCodeExpired);
  if (code.scannedBy !== null && code.scannedBy !== user.id) {
    return new ProviderError(403, "QR code was scanned by another user", apiCodes.qrCodeScannedByAnother);
  }
  if (code.status === "PENDING") {
    return new ProviderError(400, `Cannot ${action.toLowerCase()} a QR code that has not been scanned`, apiCodes.qrCodeWrongState);
  }
  return new ProviderError(400, `Cannot ${action.toLowerCase()}: QR code is already ${code.status}`, apiCodes.qrCodeWrongState);
}

/**
 * The phone's side: SCAN, then CONFIRM or CANCEL, by the one user who scanned, before expiry. A
 * user with a passkey confirms with an assertion over this code (`userVerification`, an extension).
 */
export function setQrCodeStatus(
  deps: ProviderDeps,
  change: { qrcodeId: string; action: QrCodeAction; userVerification?: Assertion },
  user: UserRecord,
): Promise<SetQrCodeStatusData> {
  const attributes = { "qr_login.qrcode_id": change.qrcodeId, "qr_login.action": change.action, "enduser.id": user.id };
  return inSpan(`qr_login.${change.action.toLowerCase()}`, attributes, async () => {
    const result = await changeQrCodeStatus(deps, change, user);
    const counter = { SCAN: metrics().scans, CONFIRM: metrics().confirmations, CANCEL: metrics().cancellations }[change.action];
    counter.inc();
    const event = { SCAN: "qr_code.scanned", CONFIRM: "qr_code.confirmed", CANCEL: "qr_code.cancelled" }[change.action];
    log.info(event, `QR code ${event.slice("qr_code.".length)}`, { qrcodeId: change.qrcodeId, userId: user.id });
    return result;
  });
}

async function changeQrCodeStatus(
  deps: ProviderDeps,
  { qrcodeId, action, userVerification }: { qrcodeId: string; action: QrCodeAction; userVerification?: Assertion },
  user: UserRecord,
): Promise<SetQrCodeStatusData> {
  const code = await findOwnQrCode(deps, qrcodeId);
  const now = deps.now();
  const input = { id: code.id, userId: user.id, now };
  switch (action) {
    case "SCAN": {
      const scanned = await deps.store.scanQrCode(input);
      if (scanned) return { success: true, requester: requesterOf(scanned) };
      const current = (await deps.store.findQrCode(code.id)) ?? code;
      // The same user scanning again (a reload on the phone) is harmless.
      if (current.status === "SCANNED" && current.scannedBy === user.id && current.expiresAt > now) {
        return { success: true, requester: requesterOf(current) };
      }
      throw refusal(current, action, user, now);
    }
    case "CONFIRM": {
      await requireConfirmation(deps, user, code, userVerification);
      const ticketExpiresAt = now + deps.settings.ticketTtlSeconds * 1000;
      if (await deps.store.confirmQrCode({ ...input, ticket: newTicket(), ticketExpiresAt })) return { success: true };
      throw refusal((await deps.store.findQrCode(code.id)) ?? code, action, user, now);
    }
    case "CANCEL": {
      if (await deps.store.cancelQrCode(input)) return { success: true };
      throw refusal((await deps.store.findQrCode(code.id)) ?? code, action, user, now);
    }
  }
}

/** One ticket, one token set: of concurrent exchanges exactly one wins the compare-and-set. */
export async function exchangeTicket(deps: ProviderDeps, ticket: string): Promise<IssuedTokens> {
  return (await exchangeTicketForUser(deps, ticket)).tokens;
}

/** exchangeTicket, answering the user too (Authing's V2 `userinfo` answers the user with its token). */
export function exchangeTicketForUser(deps: ProviderDeps, ticket: string): Promise<{ tokens: IssuedTokens; user: UserRecord }> {
  return inSpan("qr_login.ticket_exchange", {}, async (span) => {
    const { tokens, qrcodeId, user } = await redeemTicket(deps, ticket);
    span.setAttributes({ "qr_login.qrcode_id": qrcodeId, "enduser.id": user.id });
    metrics().ticketsRedeemed.inc();
    log.info("ticket.redeemed", "ticket exchanged for a token set", { qrcodeId, userId: user.id });
    return { tokens, user };
  });
}

async function redeemTicket(deps: ProviderDeps, ticket: string): Promise<{ tokens: IssuedTokens; qrcodeId: string; user: UserRecord }> {
  const redeemed = await deps.store.redeemTicket({ ticket, appId: deps.settings.appId, now: deps.now() });
  if (!redeemed || !redeemed.scannedBy) {
    throw new ProviderError(400, "Ticket is invalid, expired or already used", apiCodes.ticketInvalid);
  }
  const user = await deps.store.findUserById(redeemed.scannedBy);
  if (!user) throw new ProviderError(400, "The user of this ticket no longer exists", apiCodes.ticketInvalid);
  return { tokens: await issueTokens(deps, user), qrcodeId: redeemed.id, user };
}
