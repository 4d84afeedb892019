import type { BrowserQrCode } from "@/lib/qr-login/client/flow/browser-qr-login";

import type { QrLoginState } from "@/components/qr-login/qr-login-types";
import type { QrLoginRequestError } from "@/components/qr-login/use-qr-login-status";

/** How this page's sign-in for a code went, once the phone confirmed. */
export type SignIn = { qrcodeId: string; state: "signing-in" | "success" | "failed" | "unavailable" | "ask-account" };

function troubleOf(error: QrLoginRequestError): QrLoginState {
  if (error.httpStatus === 429) return "rate-limited";
  // The browser reached our server, which could not reach (or was refused by) the provider.
  if (error.httpStatus >= 500) return "service-unavailable";
  return "network-trouble";
}

/**
 * The state table: what the page shows, from the code, its last status, this page's sign-in and
 * the last request errors. A sign-in for this code wins over the status, a status over an error.
 */
export function stateOf(input: {
  qrCode: BrowserQrCode | null;
  status: string | undefined;
  signIn: SignIn | null;
  statusError: QrLoginRequestError | undefined;
  createError: QrLoginRequestError | null;
}): QrLoginState {
  const { qrCode, status, signIn, statusError, createError } = input;
  const mine = signIn && qrCode && signIn.qrcodeId === qrCode.qrcodeId ? signIn.state : null;
  if (mine === "failed") return "failed";
  if (mine === "unavailable") return "service-unavailable";
  if (mine === "success") return "success";
  if (mine === "ask-account") return "ask-account";
  if (mine === "signing-in" || status === "AUTHORIZED") return "signing-in";
  if (!qrCode) return createError ? troubleOf(createError) : "loading";
  if (status === "EXPIRED") return "expired";
  if (status === "CANCELLED") return "cancelled";
  if (status === "ERROR") return "failed";
  if (statusError) return statusError.retryable ? troubleOf(statusError) : "failed";
  if (status === "SCANNED") return "scanned";
  return "waiting";
}
