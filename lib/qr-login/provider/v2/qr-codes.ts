import "server-only";

import { apiCodes, type QrCodeAction } from "@/lib/qr-login/client/authing/schemas";
import type { UserRecord } from "@/lib/qr-login/provider/store/types";

import type { ProviderDeps } from "../deps";
import { ProviderError } from "../errors";
import type { Assertion } from "../passkeys";
import { exchangeTicketForUser, geneQrCode, getQrCodeStatus, setQrCodeStatus, type CodeRequester } from "../qr-codes";
import type { IssuedTokens } from "../tokens";
import { profileOf } from "../users";
import { V2_STATUS, type V2GeneData, type V2GeneRequest, type V2PhoneData, type V2StatusData, type V2User } from "./schemas";

/**
 * Authing's V2 QR endpoints over the same codes, store, events and limits as /api/v3: a code made
 * through one is seen through the other. What differs is only the dialect.
 */

export async function geneQrCodeV2(deps: ProviderDeps, request: V2GeneRequest, origin: string, requester: CodeRequester): Promise<V2GeneData> {
  const { qrcodeId, url } = await geneQrCode(deps, { type: "MOBILE_APP", customData: request.params, context: request.context }, origin, requester);
  return { random: qrcodeId, url, expiresIn: deps.settings.qrCodeTtlSeconds };
}

export function v2UserOf(deps: ProviderDeps, user: UserRecord, tokens: IssuedTokens): V2User {
  const profile = profileOf(user);
  return {
    id: user.id,
    userPoolId: deps.settings.userPoolId,
    username: profile.username,
    email: profile.email,
    emailVerified: false,
    phone: null,
    nickname: profile.nickname,
    photo: profile.photo,
    token: tokens.accessToken,
    tokenExpiredAt: new Date(deps.now() + tokens.expiresIn * 1000).toISOString(),
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

/** The ticket for the user and a token, once: the same compare-and-set as the V3 exchange. */
export async function exchangeUserInfoV2(deps: ProviderDeps, ticket: string): Promise<V2User> {
  const { user, tokens } = await exchangeTicketForUser(deps, ticket);
  return v2UserOf(deps, user, tokens);
}

/**
 * The status as the Web SDK polls it. No poll secret is taken here: a code made through /api/v3
 * with one never shows its scanner or ticket through V2. With returnFullUserInfo the first poll
 * that sees the ticket redeems it and answers the user with a token instead (as Authing's
 * "web polling returns full user info"); any later poll sees the bare AUTHORIZED.
 */
export async function checkQrCodeV2(deps: ProviderDeps, random: string): Promise<V2StatusData> {
  const current = await getQrCodeStatus(deps, random);
  const brief = current.briefUserInfo ? { nickname: current.briefUserInfo.displayName, photo: current.briefUserInfo.photo } : null;
  const answer: V2StatusData = { random, status: V2_STATUS[current.status], userInfo: brief, ticket: current.ticket ?? null, scannedUserId: null };
  if (!deps.settings.returnFullUserInfo || !current.ticket) return answer;
  try {
    const user = await exchangeUserInfoV2(deps, current.ticket);
    return { ...answer, userInfo: user, ticket: null, scannedUserId: user.id };
  } catch (error) {
    // Another poll redeemed it between the read and the exchange: that one got the user.
    if (error instanceof ProviderError && error.apiCode === apiCodes.ticketInvalid) return { ...answer, ticket: null };
    throw error;
  }
}

const phoneOutcome: Record<QrCodeAction, Omit<V2PhoneData, "random">> = {
  SCAN: { status: V2_STATUS.SCANNED, description: "Scanned: the web page shows who scanned it" },
  CONFIRM: { status: V2_STATUS.AUTHORIZED, description: "Confirmed: the web page signs in" },
  CANCEL: { status: V2_STATUS.CANCELLED, description: "Cancelled: the web page does not sign in" },
};

/** scanned, confirm, cancel: the V3 transitions, by the same rules (one scanner, before expiry). */
export async function changeQrCodeStatusV2(
  deps: ProviderDeps,
  random: string,
  action: QrCodeAction,
  user: UserRecord,
  userVerification?: Assertion,
): Promise<V2PhoneData> {
  await setQrCodeStatus(deps, { qrcodeId: random, action, userVerification }, user);
  return { random, ...phoneOutcome[action] };
}
