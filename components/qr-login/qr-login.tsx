"use client";

import { qrLoginMessages, type QrLoginLocale, type QrLoginMessages } from "@/components/qr-login/messages";
import { companionPath } from "@/lib/qr-login/companion-path";
import { QrLoginSignInError, type QrLoginState, type UseQrLogin, type UseQrLoginOptions } from "@/components/qr-login/qr-login-types";
import { useQrLogin } from "@/components/qr-login/use-qr-login";
import { QrLoginRequestError } from "@/components/qr-login/use-qr-login-status";

/** Custom words per state, like startAppAuthScanning's tips, scannedTips, … retryTips. */
export type QrLoginTips = Partial<Record<QrLoginState, string>> & {
  /** The "Try again" button. */
  retry?: string;
  /** The "Get a new code" button. */
  newCode?: string;
  /** The "Start over with a new code" button (after a scan). */
  startOver?: string;
  /** The "Continue as …" button (when another account than this browser's last confirmed). */
  continueAs?: string;
  /** The "Not you? Get a new code" button beside it. */
  notMe?: string;
};

export type QrLoginProps = UseQrLoginOptions & {
  tips?: QrLoginTips;
  /** The QR image's side in CSS pixels (the quiet zone is added around it). */
  size?: number;
  /** The language of its words: "en" (default) or "zh-CN"; `tips` override any of them. */
  locale?: QrLoginLocale;
  className?: string;
};

type View = { title: string; detail?: string; action?: "new-code" | "retry" | "start-over" | "ask-account" };

function lifetime(seconds: number, t: QrLoginMessages): string {
  return seconds < 90 ? t.seconds(seconds) : t.minutes(Math.round(seconds / 60));
}

function viewOf(login: UseQrLogin, t: QrLoginMessages): View {
  const { state, problem, settings } = login;
  switch (state) {
    case "loading":
      return { title: t.loading };
    case "renewing":
      return { title: t.renewing, detail: t.renewingDetail };
    case "waiting":
      return { title: t.waiting, detail: settings.companionApp ? t.waitingCompanion : t.waitingApp };
    case "scanned":
      return { title: t.scanned, detail: t.scannedDetail, action: "start-over" };
    case "signing-in":
      return { title: t.signingIn };
    case "ask-account": {
      const name = accountName(login);
      return { title: t.askAccount(name), detail: t.askAccountDetail(name, login.account?.email ?? null), action: "ask-account" };
    }
    case "success":
      return { title: t.success };
    case "cancelled":
      return { title: t.cancelled, detail: t.cancelledDetail, action: "new-code" };
    case "expired":
      return { title: t.expired, detail: t.expiredDetail(lifetime(settings.qrCodeTtlSeconds, t)), action: "new-code" };
    case "rate-limited":
      return { title: t.rateLimited, detail: t.rateLimitedDetail, action: "retry" };
    case "network-trouble":
      return { title: t.networkTrouble, detail: t.networkTroubleDetail, action: "retry" };
    case "service-unavailable":
      return { title: t.serviceUnavailable, detail: t.serviceUnavailableDetail, action: "retry" };
    case "failed":
      if (problem instanceof QrLoginRequestError && !problem.retryable) {
        const detail = problem.httpStatus === 404 ? t.codeNotFoundDetail : problem.httpStatus === 403 ? t.codeNotBoundDetail : undefined;
        return { title: t.codeUnusable, detail, action: "new-code" };
      }
      if (problem instanceof QrLoginRequestError || !problem) return { title: t.somethingWrong, action: "new-code" };
      return { title: t.signInFailed, detail: t.signInFailedDetail, action: "new-code" };
  }
}

/** The confirming account's name as its id_token gives it, else as the phone's scan showed it. */
function accountName(login: UseQrLogin): string {
  return login.account?.name ?? login.scanner?.displayName ?? "?";
}

/**
 * Scan-to-sign-in on any page: the code, who scanned it, and what to do next. Every callback of
 * useQrLogin() is a prop; `tips` replaces the words, `size` the code's size.
 */
export function QrLogin({ tips, size = 240, locale = "en", className, ...options }: QrLoginProps) {
  const login = useQrLogin(options);
  const t = qrLoginMessages[locale];
  const { state, qrCode, scanner, creating } = login;
  const view = viewOf(login, t);
  const title = tips?.[state] ?? view.title;
  const dimmed = state !== "waiting" && state !== "scanned";
  // Who scanned, over the code: while the phone confirms, and while this browser asks about them.
  const shownAccount =
    state === "scanned" && scanner
      ? { name: scanner.displayName, photo: scanner.photo }
      : state === "ask-account"
        ? { name: accountName(login), photo: login.account ? login.account.photo : (scanner?.photo ?? null) }
        : undefined;
  // A sign-in the service failed after the phone confirmed cannot be retried with that code.
  const action = login.problem instanceof QrLoginSignInError ? "new-code" : view.action;

  return (
    <div className={`qr-login${className ? ` ${className}` : ""}`} data-state={state}>
      {/* Sized by width and height attributes, never a style attribute: the CSP allows no inline style. */}
      <div className={`qr-frame${dimmed ? " qr-frame-dimmed" : ""}`}>
        {qrCode ? (
          // eslint-disable-next-line @next/next/no-img-element -- provider-served, shown at its own size; next/image's inline style would break the nonce CSP
          <img
            key={qrCode.qrcodeId}
            className="qr-image"
            src={qrCode.imageUrl}
            alt={t.imageAlt}
            width={size}
            height={size}
            data-qrcode-id={qrCode.qrcodeId}
            onLoad={() => login.shown(qrCode)}
            onError={() => login.imageFailed(qrCode)}
          />
        ) : (
          <svg className="qr-placeholder" width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true" />
        )}
        {shownAccount ? (
          <div className="qr-overlay">
            {/* eslint-disable-next-line @next/next/no-img-element -- provider-served, shown at its own size; next/image's inline style would break the nonce CSP */}
            {shownAccount.photo ? <img className="avatar avatar-large" src={shownAccount.photo} alt="" width={72} height={72} /> : null}
            <p className="scanner-name">{shownAccount.name}</p>
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
            {t.noPhone}{" "}
            <a href={companionPath(qrCode.qrcodeId)} target="_blank" rel="noopener">
              {t.openPhonePage}
            </a>
          </p>
        ) : null}
        {action === "new-code" ? (
          <button type="button" className="button button-primary" onClick={login.newCode} disabled={creating}>
            {tips?.newCode ?? t.newCode}
          </button>
        ) : null}
        {action === "retry" ? (
          <button type="button" className="button button-secondary" onClick={login.retry} disabled={creating}>
            {tips?.retry ?? t.retry}
          </button>
        ) : null}
        {action === "ask-account" ? (
          <div className="button-row">
            <button type="button" className="button button-primary" onClick={login.continueAsAccount}>
              {tips?.continueAs ?? t.continueAs(accountName(login))}
            </button>
            <button type="button" className="button button-secondary" onClick={login.refuseAccount} disabled={creating}>
              {tips?.notMe ?? t.notMe(accountName(login))}
            </button>
          </div>
        ) : null}
        {action === "start-over" ? (
          <button type="button" className="button button-secondary" onClick={login.startOver} disabled={creating}>
            {tips?.startOver ?? t.startOver}
          </button>
        ) : null}
      </div>
    </div>
  );
}
