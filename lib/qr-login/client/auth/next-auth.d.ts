import type { SessionTokens } from "@/lib/qr-login/client/authing/token-refresh";

// Tokens live on the encrypted JWT cookie only; the Session the browser reads never has them.

declare module "next-auth" {
  interface User extends Partial<SessionTokens> {
    id: string;
  }

  /** What /api/auth/session answers to the browser: who, never tokens. */
  interface Session {
    user: { sub: string; name: string | null; email: string | null; image: string | null };
    error?: "RefreshAccessTokenError";
  }
}

declare module "next-auth/jwt" {
  interface JWT extends Partial<SessionTokens> {
    /** The session's id: sign-out revokes it for every instance (lib/qr-login/client/auth/session-revocations.ts). */
    sid?: string;
    error?: "RefreshAccessTokenError";
  }
}
