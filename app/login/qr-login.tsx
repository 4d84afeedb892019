"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";

import { prefetchCsrfToken, signInWithQrCode } from "@/app/login/sign-in-with-qr-code";
import {
  backoffMs,
  createQrCode,
  QrLoginRequestError,
  useQrLoginStatus,
  type StatusUpdates,
} from "@/app/login/use-qr-login-status";
import { companionPath } from "@/lib/provider/companion-path";
import type { BrowserQrCode } from "@/lib/qr-login/browser-qr-login";

type Props = {
  initialQrCode: BrowserQrCode | null;
  /** Why the server could not make a code for the first HTML, if it could not. */
  initialProblem: "unavailable" | "rate-limited" | null;
  /** Link to the code's companion page, for trying the flow in a second window. */
  offerCompanionLink: boolean;
  statusUpdates: StatusUpdates;
};

type SignInState = "idle" | "signing-in" | "failed";

export function QrLogin({ initialQrCode, initialProblem, offerCompanionLink, statusUpdates }: Props) {
  const router = useRouter();
  const [qrCode, setQrCode] = useState<BrowserQrCode | null>(initialQrCode);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<QrLoginRequestError | null>(
    initialProblem
      ? new QrLoginRequestError(initialProblem === "rate-limited" ? 429 : 503, "The sign-in service is not reachable.", true)
      : null,
  );
  const [signInState, setSignInState] = useState<SignInState>("idle");
  const redeemed = useRef<string | null>(null);
  const attempts = useRef(0);
  const csrfToken = useRef<Promise<string | undefined> | null>(null);

  const { status, scanner, error: statusError, retry } = useQrLoginStatus(qrCode, statusUpdates);

  const getNewCode = useCallback(async () => {
    setCreating(true);
    try {
      const created = await createQrCode();
      attempts.current = 0;
      setCreateError(null);
      setSignInState("idle");
      setQrCode(created);
    } catch (error) {
      attempts.current += 1;
      setCreateError(error instanceof QrLoginRequestError ? error : new QrLoginRequestError(0, "Network trouble.", true));
    } finally {
      setCreating(false);
    }
  }, []);

  // No code in the first HTML (the provider was down): keep trying, backing off.
  useEffect(() => {
    if (qrCode || creating) return;
    const delay = attempts.current === 0 && !createError ? 0 : backoffMs(attempts.current, createError ?? undefined);
    const timer = setTimeout(getNewCode, delay);
    return () => clearTimeout(timer);
  }, [qrCode, creating, createError, getNewCode]);

  // Once someone has scanned, the sign-in's CSRF token is fetched while they confirm.
  useEffect(() => {
    if (status === "SCANNED" && !csrfToken.current) csrfToken.current = prefetchCsrfToken();
  }, [status]);

  useEffect(() => {
    if (status !== "AUTHORIZED" || !qrCode || redeemed.current === qrCode.qrcodeId) return;
    redeemed.current = qrCode.qrcodeId;
    setSignInState("signing-in");
    const token = csrfToken.current ?? prefetchCsrfToken();
    csrfToken.current = null;
    signInWithQrCode(qrCode.qrcodeId, token, `${window.location.origin}/`).then((signedIn) => {
      if (signedIn) router.replace("/");
      else setSignInState("failed");
    });
  }, [status, qrCode, router]);

  const view = viewOf({ qrCode, status, signInState, statusError, createError });
  const dimmed = view.kind !== "waiting" && view.kind !== "scanned";

  return (
    <div className="qr-login">
      <div className={`qr-frame${dimmed ? " qr-frame-dimmed" : ""}`}>
        {qrCode ? (
          // The image comes from the provider (the embedded one, or Authing): no next/image optimizing.
          // eslint-disable-next-line @next/next/no-img-element
          <img
            key={qrCode.qrcodeId}
            className="qr-image"
            src={qrCode.imageUrl}
            alt="QR code: scan it with the companion app to sign in"
            width={240}
            height={240}
            data-qrcode-id={qrCode.qrcodeId}
          />
        ) : (
          <div className="qr-placeholder" aria-hidden="true" />
        )}
        {view.kind === "scanned" && scanner ? (
          <div className="qr-overlay">
            {scanner.photo ? <img className="avatar avatar-large" src={scanner.photo} alt="" width={72} height={72} /> : null}
            <p className="scanner-name">{scanner.displayName}</p>
          </div>
        ) : null}
      </div>

      <div className="status-block">
        <p className={`status-title status-${view.kind}`} role="status" aria-live="polite" aria-atomic="true">
          {view.title}
        </p>
        {view.detail ? <p className="muted status-detail">{view.detail}</p> : null}
        {offerCompanionLink && qrCode && view.kind === "waiting" ? (
          <p className="small muted">
            No phone at hand?{" "}
            <a href={companionPath(qrCode.qrcodeId)} target="_blank" rel="noopener">
              Open the phone page in a new window
            </a>
          </p>
        ) : null}
        {view.action === "new-code" ? (
          <button type="button" className="button button-primary" onClick={getNewCode} disabled={creating}>
            Get a new code
          </button>
        ) : null}
        {view.action === "retry" ? (
          <button type="button" className="button button-secondary" onClick={() => (qrCode ? retry() : getNewCode())} disabled={creating}>
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}

type View = {
  kind: "loading" | "waiting" | "scanned" | "signing-in" | "cancelled" | "expired" | "failed" | "network-trouble";
  title: string;
  detail?: string;
  action?: "new-code" | "retry";
};

function viewOf(input: {
  qrCode: BrowserQrCode | null;
  status: string | undefined;
  signInState: SignInState;
  statusError: QrLoginRequestError | undefined;
  createError: QrLoginRequestError | null;
}): View {
  const { qrCode, status, signInState, statusError, createError } = input;
  if (signInState === "failed") {
    return { kind: "failed", title: "Sign-in failed", detail: "Get a new code and scan it again.", action: "new-code" };
  }
  if (signInState === "signing-in" || status === "AUTHORIZED") return { kind: "signing-in", title: "Signing you in…" };
  if (!qrCode) {
    if (createError) return trouble(createError);
    return { kind: "loading", title: "Getting a code…" };
  }
  if (status === "EXPIRED") {
    return { kind: "expired", title: "This code has expired", detail: "Codes last a couple of minutes.", action: "new-code" };
  }
  if (status === "CANCELLED") {
    return { kind: "cancelled", title: "Sign-in cancelled", detail: "It was cancelled on the phone.", action: "new-code" };
  }
  if (status === "ERROR") return { kind: "failed", title: "Something went wrong", action: "new-code" };
  if (statusError) {
    if (!statusError.retryable) {
      return { kind: "failed", title: "This code can no longer be used", detail: statusError.message, action: "new-code" };
    }
    return trouble(statusError);
  }
  if (status === "SCANNED") {
    return { kind: "scanned", title: "Confirm on your phone", detail: "Scanned. Tap “Confirm sign-in” on your phone to finish." };
  }
  return {
    kind: "waiting",
    title: "Scan with the app",
    detail: "Open the companion app on your phone (/m on this site) and scan the code with the camera.",
  };
}

function trouble(error: QrLoginRequestError): View {
  return error.httpStatus === 429
    ? { kind: "network-trouble", title: "Too many attempts", detail: "Wait a moment; we'll try again.", action: "retry" }
    : { kind: "network-trouble", title: "Network trouble", detail: "We can't reach the server. Retrying…", action: "retry" };
}
