"use client";

import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { Check, CircleAlert, TriangleAlert, X } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";

import { codeFateAction, decideAction, passkeyConfirmOptionsAction, scanAction } from "@/app/(provider)/m/actions";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useLocale, useMessages } from "@/lib/qr-login/client/i18n/locale-context";
import { passkeyErrorOf } from "@/lib/qr-login/client/i18n/passkey-messages";
import type { CompanionProblem, ScanRequester } from "@/lib/qr-login/companion/companion";
import { cn } from "@/lib/utils";

type View =
  | { kind: "ask" }
  | { kind: "scanning" }
  | { kind: "confirm"; requester: ScanRequester; busy: boolean; error?: string }
  | { kind: "confirmed" }
  | { kind: "cancelled" }
  | { kind: "problem"; message: string; signInAgain: boolean };

const title = "text-2xl font-semibold tracking-tight";
const decision = "grid grid-cols-2 gap-3";
const decisionButton = "h-13 px-3";
/** Filled as strongly as the confirming button: declining must not look like the lesser choice. */
const decline = "bg-foreground text-background hover:bg-foreground/85";
const requesterRow = "flex justify-between gap-3 px-3.5 py-2.5";
const requesterTerm = "whitespace-nowrap text-muted-foreground";
const requesterValue = "m-0 text-right font-semibold";
const outcome = "flex flex-col items-center gap-3 text-center";
const outcomeIcon = "grid size-14 place-items-center rounded-full [&>svg]:size-7";

function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
}

/**
 * `scanNow`: the phone's user already acted (the companion's own camera read the code); a link
 * opened from anywhere else first says what it is and waits for a tap, so that whoever made the
 * code learns nothing (SCAN tells them who is looking) before the user chose to go on.
 */
export function ScanConfirm({
  qrcodeId,
  userName,
  site,
  scanNow,
  passkey,
}: {
  qrcodeId: string;
  userName: string;
  site: string;
  scanNow: boolean;
  /** The user has a passkey: Confirm asks for their fingerprint, face or screen lock. */
  passkey: boolean;
}) {
  const [view, setView] = useState<View>({ kind: scanNow ? "scanning" : "ask" });
  const scanned = useRef(false);
  const messages = useMessages();
  const t = messages.companion;
  const locale = useLocale();
  const problemMessage = (result: { problem: CompanionProblem }) => t.problems[result.problem];

  useEffect(() => {
    if (scanned.current || view.kind !== "scanning") return;
    scanned.current = true;
    scanAction(qrcodeId).then(
      (result) =>
        setView(
          result.ok
            ? { kind: "confirm", requester: result.value, busy: false }
            : { kind: "problem", message: problemMessage(result), signInAgain: result.problem === "sign-in-required" },
        ),
      () => setView({ kind: "problem", message: t.unreachable, signInAgain: false }),
    );
    // Once per page: the scan is sent once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qrcodeId, view.kind]);

  // The confirm screen follows the code: expired at its deadline, and cancelled or used elsewhere
  // (the desktop started over, or another tab of this phone decided) without a tap.
  const confirming = view.kind === "confirm" && !view.busy ? view.requester : null;
  useEffect(() => {
    if (!confirming) return;
    const fate = (status: string) => {
      if (status === "EXPIRED") setView({ kind: "problem", message: t.problems.expired, signInAgain: false });
      if (status === "CANCELLED") setView({ kind: "cancelled" });
      if (status === "AUTHORIZED") setView({ kind: "problem", message: t.problems["already-used"], signInAgain: false });
    };
    const deadline = setTimeout(() => fate("EXPIRED"), Math.max(0, Date.parse(confirming.expiresAt) - Date.now()));
    const poll = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      codeFateAction(qrcodeId).then((result) => result.ok && fate(result.value), () => undefined);
    }, 3_000);
    return () => {
      clearTimeout(deadline);
      clearInterval(poll);
    };
  }, [confirming, qrcodeId, t]);

  async function decide(decision: "CONFIRM" | "CANCEL") {
    if (view.kind !== "confirm" || view.busy) return;
    setView({ ...view, busy: true, error: undefined });
    // A refusal the user can retry keeps the confirm screen: the code still waits, SCANNED.
    const retry = (error: string) => setView({ ...view, busy: false, error });
    try {
      let userVerification: unknown;
      if (decision === "CONFIRM" && passkey) {
        const options = await passkeyConfirmOptionsAction(qrcodeId);
        if (!options.ok) return setView({ kind: "problem", message: problemMessage(options), signInAgain: options.problem === "sign-in-required" });
        try {
          userVerification = await startAuthentication({ optionsJSON: options.value as unknown as PublicKeyCredentialRequestOptionsJSON });
        } catch (error) {
          return retry(messages.passkeys.errors[passkeyErrorOf(error)]);
        }
      }
      const result = await decideAction(qrcodeId, decision, userVerification);
      if (result.ok) setView({ kind: decision === "CONFIRM" ? "confirmed" : "cancelled" });
      else if (result.problem === "passkey-refused" || result.problem === "passkey-required") retry(problemMessage(result));
      else setView({ kind: "problem", message: problemMessage(result), signInAgain: result.problem === "sign-in-required" });
    } catch {
      retry(t.actionFailed);
    }
  }

  return (
    // The card itself is the live region: each step replaces its content, and is announced once.
    <Card className="gap-4 px-5" aria-live="polite" aria-busy={view.kind === "scanning"}>
      {view.kind === "ask" ? (
        <>
          <h1 className={title}>{t.askTitle}</h1>
          <p>{t.askText(site, userName).map((part, index) => (index % 2 === 1 ? <strong key={index}>{part}</strong> : part))}</p>
          <div className={decision}>
            <a className={buttonVariants({ size: "lg", className: cn(decisionButton, decline) })} href="/m">
              {t.askNotNow}
            </a>
            <Button type="button" size="lg" className={decisionButton} onClick={() => setView({ kind: "scanning" })}>
              {t.askContinue}
            </Button>
          </div>
        </>
      ) : null}

      {view.kind === "scanning" ? <p className="text-muted-foreground">{t.reading}</p> : null}

      {view.kind === "confirm" ? (
        <>
          <h1 className={title}>{t.confirmTitle}</h1>
          <p>
            {t.confirmText(userName)[0]}
            <strong>{userName}</strong>
            {t.confirmText(userName)[2]}
          </p>
          <dl className="m-0 flex flex-col divide-y overflow-hidden rounded-lg border">
            <div className={requesterRow}>
              <dt className={requesterTerm}>{t.browser}</dt>
              <dd className={requesterValue}>{t.browserOn(view.requester.browser, view.requester.os)}</dd>
            </div>
            <div className={requesterRow}>
              <dt className={requesterTerm}>{t.ip}</dt>
              <dd className={requesterValue}>{view.requester.ip ?? t.unknown}</dd>
            </div>
            <div className={requesterRow}>
              <dt className={requesterTerm}>{t.askedAt}</dt>
              <dd className={requesterValue}>{formatTime(view.requester.requestedAt, locale)}</dd>
            </div>
          </dl>
          {!view.requester.sameNetwork ? (
            <Alert role="note">
              <TriangleAlert aria-hidden="true" />
              <AlertTitle className="line-clamp-none">{t.differentNetwork}</AlertTitle>
              <AlertDescription>{t.differentNetworkText}</AlertDescription>
            </Alert>
          ) : null}
          {passkey ? <p className="text-sm text-muted-foreground">{view.busy ? messages.passkeys.verifying : messages.passkeys.confirmHint}</p> : null}
          <p className="min-h-6 text-sm text-destructive" role="alert">
            {view.error ?? ""}
          </p>
          {/* Confirm and Cancel carry the same weight: same size, both filled, side by side. */}
          <div className={decision}>
            <Button type="button" size="lg" className={cn(decisionButton, decline)} disabled={view.busy} onClick={() => decide("CANCEL")}>
              {t.cancel}
            </Button>
            <Button type="button" size="lg" className={decisionButton} disabled={view.busy} onClick={() => decide("CONFIRM")}>
              {t.confirm}
            </Button>
          </div>
        </>
      ) : null}

      {view.kind === "confirmed" ? <Outcome icon={<Check />} tone="bg-primary/10 text-primary" title={t.confirmed} text={t.closePage} /> : null}

      {view.kind === "cancelled" ? (
        <Outcome icon={<X />} tone="bg-muted text-muted-foreground" title={t.cancelledTitle} text={t.cancelledText} />
      ) : null}

      {view.kind === "problem" ? (
        <Outcome icon={<CircleAlert />} tone="bg-destructive/10 text-destructive" title={t.problemTitle} text={view.message} muted={false}>
          {view.signInAgain ? (
            <a className={buttonVariants({ size: "lg", className: "mt-2 h-11 w-full" })} href={`/m?next=${encodeURIComponent(`/m/scan/${qrcodeId}`)}`}>
              {t.signInAgain}
            </a>
          ) : (
            <a className={buttonVariants({ variant: "outline", size: "lg", className: "mt-2 h-11 w-full" })} href="/m">
              {t.back}
            </a>
          )}
        </Outcome>
      ) : null}
    </Card>
  );
}

/** How a code's story ends on the phone: an icon in its tone, a title, a line, and what to do next. */
function Outcome({ icon, tone, title: heading, text, muted = true, children }: { icon: ReactNode; tone: string; title: string; text: string; muted?: boolean; children?: ReactNode }) {
  return (
    <div className={outcome}>
      <span className={cn(outcomeIcon, tone)} aria-hidden="true">
        {icon}
      </span>
      <h1 className={title}>{heading}</h1>
      <p className={muted ? "text-muted-foreground" : undefined}>{text}</p>
      {children}
    </div>
  );
}
