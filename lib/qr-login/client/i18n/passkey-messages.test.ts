import { describe, expect, it } from "vitest";

import { passkeyErrorOf } from "@/lib/qr-login/client/i18n/passkey-messages";

const named = (name: string, code?: string) => Object.assign(new Error("from the browser"), { name, code });

describe("what a failed WebAuthn call tells the user to do", () => {
  it("tells a cancelled prompt, another site's passkey, one already added and a phone without a screen lock apart", () => {
    expect(passkeyErrorOf(named("NotAllowedError", "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY"))).toBe("cancelled");
    expect(passkeyErrorOf(named("AbortError", "ERROR_CEREMONY_ABORTED"))).toBe("cancelled");
    expect(passkeyErrorOf(named("SecurityError", "ERROR_INVALID_RP_ID"))).toBe("other-site");
    expect(passkeyErrorOf(named("Error", "ERROR_INVALID_DOMAIN"))).toBe("other-site");
    expect(passkeyErrorOf(named("InvalidStateError", "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED"))).toBe("already-added");
    expect(passkeyErrorOf(named("NotSupportedError"))).toBe("no-authenticator");
    expect(passkeyErrorOf(named("ConstraintError", "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT"))).toBe("no-authenticator");
  });

  it("says so when the browser has no WebAuthn at all, and falls back to a plain failure", () => {
    expect(passkeyErrorOf(new Error("WebAuthn is not supported in this browser"))).toBe("unsupported");
    expect(passkeyErrorOf(named("UnknownError"))).toBe("failed");
    expect(passkeyErrorOf(undefined)).toBe("failed");
  });
});
