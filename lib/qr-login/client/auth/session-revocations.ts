import "server-only";

import { randomBytes } from "node:crypto";
import type { JWT } from "next-auth/jwt";

import { SESSION_MAX_AGE_SECONDS } from "@/lib/qr-login/client/auth/session-cookie";
import { getClientState } from "@/lib/qr-login/platform/client-state";

/**
 * The web sessions that were signed out, shared by every instance of the app. A JWT session
 * lives in a cookie the server cannot take back, so each one carries an id (`sid`) and sign-out
 * lists it here until no cookie that carries it can still be valid.
 *
 * The list is kept in the client's state (lib/qr-login/platform/client-state.ts): the embedded
 * provider's store, or Redis when REDIS_URL is set, so every instance sees a sign-out at once.
 */
export type SessionRevocations = {
  revoke(sid: string, until: number): Promise<void>;
  isRevoked(sid: string): Promise<boolean>;
};

const inClientState: SessionRevocations = {
  revoke: (sid, until) => getClientState().revokeSession({ sid, expiresAt: until }),
  isRevoked: (sid) => getClientState().isSessionRevoked(sid),
};

export function getSessionRevocations(): SessionRevocations {
  return inClientState;
}

/** 128 random bits. */
export const newSessionId = () => randomBytes(16).toString("base64url");

/**
 * True for a session that was signed out, and for one without an id (made before sessions had
 * ids): it could never be signed out, so it is not honoured.
 */
export async function isSessionEnded(token: JWT): Promise<boolean> {
  if (typeof token.sid !== "string" || token.sid.length === 0) return true;
  return getSessionRevocations().isRevoked(token.sid);
}

/**
 * Signs the session out everywhere. Any copy of its cookie was issued before now, and a cookie
 * lives SESSION_MAX_AGE_SECONDS from its last renewal, so the id is kept that long.
 */
export async function endSession(token: JWT, now = Date.now()): Promise<void> {
  if (typeof token.sid !== "string" || token.sid.length === 0) return;
  await getSessionRevocations().revoke(token.sid, now + SESSION_MAX_AGE_SECONDS * 1000);
}
