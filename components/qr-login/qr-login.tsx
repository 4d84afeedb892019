"use client";

import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { qrLoginMessages, type QrLoginLocale, type QrLoginMessages } from "@/lib/qr-login/client/i18n/qr-login-messages";
import { companionPath } from "@/lib/qr-login/client/authing/companion-path";
import { QrLoginSignInError, type QrLoginState, type UseQrLogin, type UseQrLoginOptions } from "@/components/qr-login/qr-login-types";
import { useQrLogin } from "@/components/qr-login/use-qr-login";
import { QrLoginRequestError } from "@/components/qr-login/use-qr-login-status";
import { cn } from "@/lib/utils";

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

const problemStates = new Set<QrLoginState>(["network-trouble", "failed", "service-unavailable", "rate-limited"]);

/** The avatar's stand-in while (or when there is no) photo: the name's first letter. */
function initialOf(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? "?";
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
    <div className={cn("flex w-full flex-col items-center gap-5", className)} data-state={state}>
      {/* Sized by width and height attributes, never a style attribute: the CSP allows no inline style.
          White in dark mode too: phones need a light quiet zone around the code. */}
      <div className="relative w-fit max-w-full rounded-xl border bg-white p-3 text-neutral-900">
        {qrCode ? (
          // eslint-disable-next-line @next/next/no-img-element -- provider-served, shown at its own size; next/image's inline style would break the nonce CSP
          <img
            key={qrCode.qrcodeId}
            className={cn("block h-auto max-w-full transition-opacity", dimmed && "opacity-15 blur-[1px]")}
            src={qrCode.imageUrl}
            alt={t.imageAlt}
            width={size}
            height={size}
            data-qrcode-id={qrCode.qrcodeId}
            onLoad={() => login.shown(qrCode)}
            onError={() => login.imageFailed(qrCode)}
          />
        ) : (
          <svg
            className="block h-auto max-w-full rounded-lg bg-[repeating-linear-gradient(45deg,#f1f3f8_0_10px,#e9ecf4_10px_20px)]"
            width={size}
            height={size}
            viewBox={`0 0 ${size} ${size}`}
            aria-hidden="true"
          />
        )}
        {shownAccount ? (
          <div data-slot="qr-login-scanner" className="absolute inset-0 flex flex-col items-center justify-center gap-2.5 rounded-xl bg-white/95 p-3 text-center">
            <Avatar className="size-18">
              {shownAccount.photo ? <AvatarImage src={shownAccount.photo} alt="" width={72} height={72} /> : null}
              <AvatarFallback className="bg-neutral-100 text-2xl text-neutral-700" aria-hidden="true">
                {initialOf(shownAccount.name)}
              </AvatarFallback>
            </Avatar>
            <p className="font-semibold">{shownAccount.name}</p>
          </div>
        ) : null}
      </div>

      {/* Tall enough for the tallest state (title, three lines, a button): no jump between states. */}
      <div className="flex min-h-42 flex-col items-center gap-2 text-center">
        <p
          className={cn("text-lg font-semibold", problemStates.has(state) && "text-destructive", (state === "signing-in" || state === "success") && "text-primary")}
          role="status"
          aria-live="polite"
          aria-atomic="true"
        >
          {title}
        </p>
        {view.detail ? <p className="max-w-80 text-sm text-muted-foreground">{view.detail}</p> : null}
        {login.settings.companionApp && qrCode && state === "waiting" ? (
          <p className="text-sm text-muted-foreground">
            {t.noPhone}{" "}
            <a className="font-medium text-primary underline underline-offset-4" href={companionPath(qrCode.qrcodeId)} target="_blank" rel="noopener">
              {t.openPhonePage}
            </a>
          </p>
        ) : null}
        {action === "new-code" ? (
          <Button type="button" size="lg" className="mt-2" onClick={login.newCode} disabled={creating}>
            {tips?.newCode ?? t.newCode}
          </Button>
        ) : null}
        {action === "retry" ? (
          <Button type="button" size="lg" variant="outline" className="mt-2" onClick={login.retry} disabled={creating}>
            {tips?.retry ?? t.retry}
          </Button>
        ) : null}
        {action === "ask-account" ? (
          <div className="mt-2 flex flex-wrap justify-center gap-2">
            <Button type="button" size="lg" onClick={login.continueAsAccount}>
              {tips?.continueAs ?? t.continueAs(accountName(login))}
            </Button>
            <Button type="button" size="lg" variant="outline" onClick={login.refuseAccount} disabled={creating}>
              {tips?.notMe ?? t.notMe(accountName(login))}
            </Button>
          </div>
        ) : null}
        {action === "start-over" ? (
          <Button type="button" size="lg" variant="outline" className="mt-2" onClick={login.startOver} disabled={creating}>
            {tips?.startOver ?? t.startOver}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
