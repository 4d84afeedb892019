"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import { prefetchCsrfToken, signInWithQrCode } from "@/components/qr-login/sign-in-with-qr-code";
import {
  backoffMs,
  createQrCode,
  QrLoginRequestError,
  readHeldAccount,
  refuseHeldAccount,
  useQrLoginStatus,
  type StatusUpdates,
} from "@/components/qr-login/use-qr-login-status";
import type { SignInOutcome } from "@/components/qr-login/sign-in-with-qr-code";
import type { BriefUserInfo } from "@/lib/authing/schemas";
import type { HeldAccount } from "@/lib/qr-login/account-check";
import type { BrowserQrCode, BrowserQrCodeStatus } from "@/lib/qr-login/browser-qr-login";
import { safeCallbackPath } from "@/lib/qr-login/callback-url";

export { QrLoginRequestError };
export type { BrowserQrCode, BrowserQrCodeStatus, BriefUserInfo, HeldAccount };

/** What the server's configuration tells the component (see getQrLoginSettings()). */
export type QrLoginSettings = {
  statusUpdates: StatusUpdates;
  qrCodeTtlSeconds: number;
  /** How many expired codes a visible page replaces by itself before asking for a click. */
  maxRenewals: number;
  /** The embedded provider's codes open this site's companion page (/m). */
  companionApp: boolean;
};

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

type SignIn = { qrcodeId: string; state: "signing-in" | "success" | "failed" | "unavailable" | "ask-account" };

/** Whether the page is visible, following visibilitychange; true during server rendering. */
function useVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

export function useQrLogin(options: UseQrLoginOptions = {}): UseQrLogin {
  const settings = options.settings ?? defaultQrLoginSettings;
  const statusUpdates: StatusUpdates = {
    waitSeconds: settings.statusUpdates.waitSeconds,
    pollIntervalMs: options.interval ?? settings.statusUpdates.pollIntervalMs,
  };
  const maxRenewals = options.maxRenewals ?? settings.maxRenewals;
  const callbackUrl = safeCallbackPath(options.callbackUrl);
  // Callbacks are read when they fire: a new function each render must not restart anything.
  const callbacks = useRef<QrLoginCallbacks>(options);
  useLayoutEffect(() => {
    callbacks.current = options;
  });

  const router = useRouter();
  const [qrCode, setQrCode] = useState<BrowserQrCode | null>(options.initialQrCode ?? null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<QrLoginRequestError | null>(() =>
    options.initialProblem
      ? new QrLoginRequestError(options.initialProblem === "rate-limited" ? 429 : 503, "The sign-in service is unavailable.", true)
      : null,
  );
  const [signIn, setSignIn] = useState<SignIn | null>(null);
  const [heldAccount, setHeldAccount] = useState<{ qrcodeId: string; account: HeldAccount } | null>(null);
  const [renewals, setRenewals] = useState(0);
  const renewalCount = useRef(0);
  const resetRenewals = () => {
    renewalCount.current = 0;
    setRenewals(0);
  };
  const attempts = useRef(0);
  const csrfToken = useRef<Promise<string | undefined> | null>(null);
  /** Per code, which once-only events have fired. */
  const fired = useRef(new Set<string>());
  const once = (qrcodeId: string, event: string, run: () => void) => {
    const key = `${qrcodeId}:${event}`;
    if (fired.current.has(key)) return;
    fired.current.add(key);
    run();
  };

  const { status, scanner, error: statusError, retry: retryStatus } = useQrLoginStatus(qrCode, statusUpdates, (answer) => {
    // Someone is at the screen: renewals start counting again.
    if (answer.status === "SCANNED") resetRenewals();
    callbacks.current.onStatus?.(answer);
  });

  const getNewCode = useCallback(async (reason: "first" | "user" | "renewal"): Promise<void> => {
    setCreating(true);
    try {
      const created = await createQrCode();
      attempts.current = 0;
      setCreateError(null);
      setSignIn(null);
      setQrCode(created);
      callbacks.current.onQrCodeLoad?.(created);
      if (reason === "renewal") {
        renewalCount.current += 1;
        setRenewals(renewalCount.current);
        callbacks.current.onRenew?.(created, renewalCount.current);
      }
    } catch (error) {
      attempts.current += 1;
      const problem = error instanceof QrLoginRequestError ? error : new QrLoginRequestError(0, "Network trouble.", true);
      setCreateError(problem);
      callbacks.current.onQrCodeLoadFailed?.(problem);
    } finally {
      setCreating(false);
    }
  }, []);

  // The code in the first HTML counts as loaded (later ones are announced where they are made).
  const [firstQrCode] = useState(options.initialQrCode);
  useEffect(() => {
    if (firstQrCode) once(firstQrCode.qrcodeId, "load", () => callbacks.current.onQrCodeLoad?.(firstQrCode));
  }, [firstQrCode]);

  // No code yet (none in the first HTML, or the provider was down): get one, backing off.
  useEffect(() => {
    if (qrCode || creating) return;
    const delay = attempts.current === 0 && !createError ? 0 : backoffMs(attempts.current, createError ?? undefined);
    const timer = setTimeout(() => void getNewCode("first"), delay);
    return () => clearTimeout(timer);
  }, [qrCode, creating, createError, getNewCode]);

  // Once someone has scanned, the sign-in's CSRF token is fetched while they confirm.
  useEffect(() => {
    if (status !== "SCANNED" || !qrCode) return;
    if (!csrfToken.current) csrfToken.current = prefetchCsrfToken();
    once(qrCode.qrcodeId, "scanned", () => callbacks.current.onScanned?.(scanner));
  }, [status, qrCode, scanner]);

  const finishSignIn = useCallback(
    (qrcodeId: string, outcome: SignInOutcome) => {
      if (outcome === "signed-in") {
        setSignIn({ qrcodeId, state: "success" });
        const stay = callbacks.current.onSuccess?.({ qrcodeId, callbackUrl, scanner }) === false;
        if (!stay) router.replace(callbackUrl);
        return;
      }
      setSignIn({ qrcodeId, state: outcome });
      if (outcome === "ask-account") {
        // Who it is, as the server read it from the id_token: a display name alone can be copied.
        void readHeldAccount()
          .then((held) => (held.qrcodeId === qrcodeId ? held : null))
          .catch(() => null)
          .then((held) => {
            setHeldAccount(held);
            once(qrcodeId, "ask-account", () => callbacks.current.onAskAccount?.(held?.account));
          });
        return;
      }
      callbacks.current.onError?.(new QrLoginSignInError(outcome));
    },
    [callbackUrl, router, scanner],
  );

  useEffect(() => {
    if (status !== "AUTHORIZED" || !qrCode) return;
    const { qrcodeId } = qrCode;
    // Once per code, by ref rather than by state: Strict Mode runs a mounting effect twice
    // before any state set in the first run is seen, and a ticket is redeemed only once.
    once(qrcodeId, "sign-in", () => {
      setSignIn({ qrcodeId, state: "signing-in" });
      const token = csrfToken.current ?? prefetchCsrfToken();
      csrfToken.current = null;
      void signInWithQrCode(qrcodeId, token, `${window.location.origin}${callbackUrl}`).then((outcome) => finishSignIn(qrcodeId, outcome));
    });
  }, [status, qrCode, callbackUrl, finishSignIn]);

  useEffect(() => {
    if (!qrCode) return;
    if (status === "CANCELLED") once(qrCode.qrcodeId, "cancel", () => callbacks.current.onCancel?.());
    if (status === "EXPIRED") once(qrCode.qrcodeId, "expired", () => callbacks.current.onExpired?.());
  }, [status, qrCode]);

  useEffect(() => {
    if (statusError) callbacks.current.onError?.(statusError);
  }, [statusError]);

  const settled = stateOf({ qrCode, status, signIn, statusError, createError });
  const visible = useVisible();

  // An expired code on a visible page is replaced, a bounded number of times; a hidden page
  // waits until it is seen again, so that nobody renews codes for an empty room.
  const [renewedFor, setRenewedFor] = useState<string | null>(null);
  const renewing = settled === "expired" && !!qrCode && visible && renewals < maxRenewals && renewedFor !== qrCode.qrcodeId;
  useEffect(() => {
    if (!renewing || !qrCode) return;
    // On the next turn, like the first code: Strict Mode's second mount clears the first timer.
    const timer = setTimeout(() => {
      setRenewedFor(qrCode.qrcodeId);
      void getNewCode("renewal");
    }, 0);
    return () => clearTimeout(timer);
  }, [renewing, qrCode, getNewCode]);
  // While a renewal is on its way the page says so, rather than flashing "expired".
  const state: QrLoginState = renewing || (settled === "expired" && creating && renewedFor === qrCode?.qrcodeId) ? "renewing" : settled;

  const newCode = useCallback(() => {
    resetRenewals();
    void getNewCode("user");
  }, [getNewCode]);

  const retry = useCallback(() => {
    callbacks.current.onRetry?.();
    if (qrCode) void retryStatus();
    else void getNewCode("user");
  }, [qrCode, retryStatus, getNewCode]);

  const continueAsAccount = useCallback(() => {
    if (!qrCode || signIn?.qrcodeId !== qrCode.qrcodeId || signIn.state !== "ask-account") return;
    const { qrcodeId } = qrCode;
    // A held sign-in is taken once: a double click must not turn a success into a failure.
    once(qrcodeId, "continue", () => {
      setSignIn({ qrcodeId, state: "signing-in" });
      void signInWithQrCode(qrcodeId, prefetchCsrfToken(), `${window.location.origin}${callbackUrl}`, "continue").then((outcome) =>
        finishSignIn(qrcodeId, outcome),
      );
    });
  }, [qrCode, signIn, callbackUrl, finishSignIn]);

  const refuseAccount = useCallback(() => {
    setHeldAccount(null);
    // The new code comes either way: a held sign-in the server could not drop ends with its cookie.
    void refuseHeldAccount()
      .catch(() => undefined)
      .then(() => newCode());
  }, [newCode]);

  const shown = useCallback((code: BrowserQrCode) => {
    once(code.qrcodeId, "shown", () => callbacks.current.onQrCodeShow?.(code));
  }, []);

  const imageFailed = useCallback((code: BrowserQrCode) => {
    once(code.qrcodeId, "image-failed", () =>
      callbacks.current.onQrCodeLoadFailed?.(new QrLoginRequestError(0, "The QR code's image did not load.", true)),
    );
  }, []);

  const problem =
    signIn?.state === "failed" || signIn?.state === "unavailable"
      ? new QrLoginSignInError(signIn.state)
      : (createError ?? statusError);

  return {
    state,
    qrCode,
    scanner,
    account: state === "ask-account" && heldAccount?.qrcodeId === qrCode?.qrcodeId ? heldAccount?.account : undefined,
    problem: state === "waiting" || state === "scanned" ? undefined : problem,
    creating,
    renewals,
    settings,
    newCode,
    retry,
    startOver: newCode,
    continueAsAccount,
    refuseAccount,
    shown,
    imageFailed,
  };
}

function troubleOf(error: QrLoginRequestError): QrLoginState {
  if (error.httpStatus === 429) return "rate-limited";
  // The browser reached our server, which could not reach (or was refused by) the provider.
  if (error.httpStatus >= 500) return "service-unavailable";
  return "network-trouble";
}

function stateOf(input: {
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
