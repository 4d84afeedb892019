import type { BriefUserInfo } from "@/lib/qr-login/client/authing/schemas";
import type { HeldAccount } from "@/lib/qr-login/client/flow/account-check";
import type { BrowserQrCode, BrowserQrCodeStatus } from "@/lib/qr-login/client/flow/browser-qr-login";
import type { QrLoginSettings } from "@/lib/qr-login/client/qr-login-settings";

import type { QrLoginRequestError } from "@/components/qr-login/use-qr-login-status";

// What useQrLogin() takes and gives: its settings, states, callbacks and result.

/** What the server's configuration tells the component (see getQrLoginSettings()). */
export type { QrLoginSettings };

/** Without settings from the server: poll (every provider answers at once), renew three times. */
export const defaultQrLoginSettings: QrLoginSettings = {
  statusUpdates: { waitSeconds: 0, pollIntervalMs: 800 },
  qrCodeTtlSeconds: 120,
  maxRenewals: 3,
  companionApp: false,
};

export type QrLoginState =
  | "loading"
  | "renewing"
  | "waiting"
  | "scanned"
  | "signing-in"
  /** The phone confirmed with another account than this browser last signed in with: continue, or refuse. */
  | "ask-account"
  | "success"
  | "cancelled"
  | "expired"
  | "failed"
  | "network-trouble"
  | "rate-limited"
  | "service-unavailable";

/** Why a sign-in did not finish after the phone confirmed. */
export class QrLoginSignInError extends Error {
  constructor(readonly reason: "failed" | "unavailable") {
    super(reason === "unavailable" ? "The sign-in service is unavailable." : "The sign-in was refused.");
    this.name = "QrLoginSignInError";
  }
}

/** Named after Authing's startAppAuthScanning callbacks (onQRCodeShow, onScanned, …), the React way. */
export type QrLoginCallbacks = {
  /** A code was obtained from the server (the first one, and every new or renewed one). */
  onQrCodeLoad?: (qrCode: BrowserQrCode) => void;
  /** Its image is on the screen. */
  onQrCodeShow?: (qrCode: BrowserQrCode) => void;
  /** No code could be made (or its image did not load). */
  onQrCodeLoadFailed?: (error: QrLoginRequestError) => void;
  /** Every status answer, repeated ones included. */
  onStatus?: (answer: BrowserQrCodeStatus) => void;
  /** Someone scanned; once per code. `scanner` is the brief user info (name and photo). */
  onScanned?: (scanner: BriefUserInfo | undefined) => void;
  /**
   * The phone confirmed with an account this browser did not last sign in with (or this browser's
   * first sign-in): nothing is signed in until the person here continues; once per code.
   */
  onAskAccount?: (account: HeldAccount | undefined) => void;
  /** Signed in; once. Return false to stay on the page instead of going to callbackUrl. */
  onSuccess?: (result: { qrcodeId: string; callbackUrl: string; scanner: BriefUserInfo | undefined }) => void | boolean;
  /** Cancelled on the phone; once per code. */
  onCancel?: () => void;
  /** The code expired; once per code (a renewal follows if any are left). */
  onExpired?: () => void;
  /** A status request or the sign-in failed. */
  onError?: (error: QrLoginRequestError | QrLoginSignInError) => void;
  /** The user asked to try again. */
  onRetry?: () => void;
  /** An expired code was replaced by itself; `renewal` counts from 1. */
  onRenew?: (qrCode: BrowserQrCode, renewal: number) => void;
};

export type UseQrLoginOptions = QrLoginCallbacks & {
  /** A code the server already made for this page (the /login page has one in its first HTML). */
  initialQrCode?: BrowserQrCode | null;
  /** Why the server could not make that code. */
  initialProblem?: "unavailable" | "rate-limited" | null;
  settings?: QrLoginSettings;
  /** Milliseconds between status requests where the server cannot hold them (real Authing). */
  interval?: number;
  /** Where to go after sign-in: a path on this site; anything else is "/". */
  callbackUrl?: string;
  /** Overrides settings.maxRenewals. */
  maxRenewals?: number;
};

export type UseQrLogin = {
  state: QrLoginState;
  qrCode: BrowserQrCode | null;
  scanner: BriefUserInfo | undefined;
  /** In "ask-account": the account that confirmed, as its id_token names it. */
  account: HeldAccount | undefined;
  /** The trouble behind network-trouble, rate-limited, service-unavailable or failed. */
  problem: QrLoginRequestError | QrLoginSignInError | undefined;
  creating: boolean;
  /** Expired codes replaced so far without a click. */
  renewals: number;
  settings: QrLoginSettings;
  /** A fresh code, at the user's request. */
  newCode: () => void;
  /** Ask again after trouble. */
  retry: () => void;
  /** Drop a scanned code and show a fresh one. */
  startOver: () => void;
  /** In "ask-account": sign in with the account that confirmed. */
  continueAsAccount: () => void;
  /** In "ask-account": refuse that account (its tokens are revoked) and show a fresh code. */
  refuseAccount: () => void;
  /** Tell the hook the code's image is on screen (onQrCodeShow). */
  shown: (qrCode: BrowserQrCode) => void;
  /** Tell the hook the code's image failed to load. */
  imageFailed: (qrCode: BrowserQrCode) => void;
};
