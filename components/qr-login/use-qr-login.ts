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
import { stateOf, type SignIn } from "@/components/qr-login/qr-login-state";
import {
  defaultQrLoginSettings,
  QrLoginSignInError,
  type QrLoginCallbacks,
  type QrLoginState,
  type UseQrLogin,
  type UseQrLoginOptions,
} from "@/components/qr-login/qr-login-types";
import { useQrCodeRenewal } from "@/components/qr-login/use-qr-code-renewal";
import type { HeldAccount } from "@/lib/qr-login/client/flow/account-check";
import type { BrowserQrCode } from "@/lib/qr-login/client/flow/browser-qr-login";
import { safeCallbackPath } from "@/lib/qr-login/client/flow/callback-url";


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
  const renew = useCallback(() => void getNewCode("renewal"), [getNewCode]);
  const renewing = useQrCodeRenewal({ expired: settled === "expired", qrCode, creating, renewals, maxRenewals, renew });
  const state: QrLoginState = renewing ? "renewing" : settled;

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
