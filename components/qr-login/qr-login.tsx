"use client";

import { companionPath } from "@/lib/provider/companion-path";
import {
  QrLoginRequestError,
  QrLoginSignInError,
  useQrLogin,
  type QrLoginState,
  type UseQrLogin,
  type UseQrLoginOptions,
} from "@/components/qr-login/use-qr-login";

/** Custom words per state, like startAppAuthScanning's tips, scannedTips, … retryTips. */
export type QrLoginTips = Partial<Record<QrLoginState, string>> & {
  /** The "Try again" button. */
  retry?: string;
  /** The "Get a new code" button. */
  newCode?: string;
};

export type QrLoginProps = UseQrLoginOptions & {
  tips?: QrLoginTips;
  /** The QR image's side in CSS pixels (the quiet zone is added around it). */
  size?: number;
  className?: string;
};

type View = { title: string; detail?: string; action?: "new-code" | "retry" | "start-over" };

function lifetime(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? "a minute" : `${minutes} minutes`;
}

function viewOf(login: UseQrLogin): View {
  const { state, problem, settings } = login;
  switch (state) {
    case "loading":
      return { title: "Getting a code…" };
    case "renewing":
      return { title: "Getting a new code…", detail: "The last one expired." };
    case "waiting":
      return {
        title: "Scan with the app",
        detail: settings.companionApp
          ? "Open the companion app on your phone (/m on this site) and scan the code with the camera."
          : "Open the app on your phone and scan the code.",
      };
    case "scanned":
      return { title: "Confirm on your phone", detail: "Scanned. Tap “Confirm sign-in” on your phone to finish.", action: "start-over" };
    case "signing-in":
      return { title: "Signing you in…" };
    case "success":
      return { title: "Signed in" };
    case "cancelled":
      return { title: "Sign-in cancelled", detail: "It was cancelled on the phone.", action: "new-code" };
    case "expired":
      return { title: "This code has expired", detail: `Codes last ${lifetime(settings.qrCodeTtlSeconds)}.`, action: "new-code" };
    case "rate-limited":
      return { title: "Too many attempts", detail: "Wait a moment; we'll try again.", action: "retry" };
    case "network-trouble":
      return { title: "Network trouble", detail: "We can't reach the server. Retrying…", action: "retry" };
    case "service-unavailable":
      return {
        title: "Sign-in service unavailable",
        detail: "The sign-in service isn't working right now. It's not your connection or your phone; try again later.",
        action: "retry",
      };
    case "failed":
      if (problem instanceof QrLoginRequestError && !problem.retryable) {
        return { title: "This code can no longer be used", detail: problem.message, action: "new-code" };
      }
      if (problem instanceof QrLoginRequestError || !problem) return { title: "Something went wrong", action: "new-code" };
      return { title: "Sign-in failed", detail: "Get a new code and scan it again.", action: "new-code" };
  }
}

/**
 * Scan-to-sign-in on any page: the code, who scanned it, and what to do next. Every callback of
 * useQrLogin() is a prop; `tips` replaces the words, `size` the code's size.
 */
export function QrLogin({ tips, size = 240, className, ...options }: QrLoginProps) {
  const login = useQrLogin(options);
  const { state, qrCode, scanner, creating } = login;
  const view = viewOf(login);
  const title = tips?.[state] ?? view.title;
  const dimmed = state !== "waiting" && state !== "scanned";
  // A sign-in the service failed after the phone confirmed cannot be retried with that code.
  const action = login.problem instanceof QrLoginSignInError ? "new-code" : view.action;

  return (
    <div className={`qr-login${className ? ` ${className}` : ""}`} data-state={state}>
      <div className={`qr-frame${dimmed ? " qr-frame-dimmed" : ""}`} style={{ width: size + 24, height: size + 24 }}>
        {qrCode ? (
          // The image comes from the provider (the embedded one, or Authing): no next/image optimizing.
          // eslint-disable-next-line @next/next/no-img-element
          <img
            key={qrCode.qrcodeId}
            className="qr-image"
            src={qrCode.imageUrl}
            alt="QR code: scan it with the companion app to sign in"
            width={size}
            height={size}
            style={{ width: size, height: size }}
            data-qrcode-id={qrCode.qrcodeId}
            onLoad={() => login.shown(qrCode)}
            onError={() => login.imageFailed(qrCode)}
          />
        ) : (
          <div className="qr-placeholder" style={{ width: size, height: size }} aria-hidden="true" />
        )}
        {state === "scanned" && scanner ? (
          <div className="qr-overlay">
            {scanner.photo ? <img className="avatar avatar-large" src={scanner.photo} alt="" width={72} height={72} /> : null}
            <p className="scanner-name">{scanner.displayName}</p>
          </div>
        ) : null}
      </div>

      <div className="status-block">
        <p className={`status-title status-${state}`} role="status" aria-live="polite" aria-atomic="true">
          {title}
        </p>
        {view.detail ? <p className="muted status-detail">{view.detail}</p> : null}
        {login.settings.companionApp && qrCode && state === "waiting" ? (
          <p className="small muted">
            No phone at hand?{" "}
            <a href={companionPath(qrCode.qrcodeId)} target="_blank" rel="noopener">
              Open the phone page in a new window
            </a>
          </p>
        ) : null}
        {action === "new-code" ? (
          <button type="button" className="button button-primary" onClick={login.newCode} disabled={creating}>
            {tips?.newCode ?? "Get a new code"}
          </button>
        ) : null}
        {action === "retry" ? (
          <button type="button" className="button button-secondary" onClick={login.retry} disabled={creating}>
            {tips?.retry ?? "Try again"}
          </button>
        ) : null}
        {action === "start-over" ? (
          <button type="button" className="button button-secondary" onClick={login.startOver} disabled={creating}>
            Start over with a new code
          </button>
        ) : null}
      </div>
    </div>
  );
}
