"use client";

import { useEffect, useRef, useState } from "react";

import { codeFateAction, decideAction, scanAction } from "@/app/m/actions";
import { useLocale, useMessages } from "@/lib/i18n/locale-context";
import type { CompanionProblem, ScanRequester } from "@/lib/provider/companion";

type View =
  | { kind: "ask" }
  | { kind: "scanning" }
  | { kind: "confirm"; requester: ScanRequester; busy: boolean; error?: string }
  | { kind: "confirmed" }
  | { kind: "cancelled" }
  | { kind: "problem"; message: string; signInAgain: boolean };

function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "medium" });
}

/**
 * `scanNow`: the phone's user already acted (the companion's own camera read the code); a link
 * opened from anywhere else first says what it is and waits for a tap, so that whoever made the
 * code learns nothing (SCAN tells them who is looking) before the user chose to go on.
 */
export function ScanConfirm({ qrcodeId, userName, site, scanNow }: { qrcodeId: string; userName: string; site: string; scanNow: boolean }) {
  const [view, setView] = useState<View>({ kind: scanNow ? "scanning" : "ask" });
  const scanned = useRef(false);
  const t = useMessages().companion;
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
    try {
      const result = await decideAction(qrcodeId, decision);
      if (result.ok) setView({ kind: decision === "CONFIRM" ? "confirmed" : "cancelled" });
      else setView({ kind: "problem", message: problemMessage(result), signInAgain: result.problem === "sign-in-required" });
    } catch {
      setView({ ...view, busy: false, error: t.actionFailed });
    }
  }

  return (
    // The card itself is the live region: each step replaces its content, and is announced once.
    <section className="phone-card" aria-live="polite" aria-busy={view.kind === "scanning"}>
      {view.kind === "ask" ? (
        <>
          <h1 className="phone-title">{t.askTitle}</h1>
          <p>{t.askText(site, userName).map((part, index) => (index % 2 === 1 ? <strong key={index}>{part}</strong> : part))}</p>
          <div className="decision">
            <a className="button button-decision" href="/m">
              {t.askNotNow}
            </a>
            <button type="button" className="button button-decision button-decision-confirm" onClick={() => setView({ kind: "scanning" })}>
              {t.askContinue}
            </button>
          </div>
        </>
      ) : null}

      {view.kind === "scanning" ? <p className="muted">{t.reading}</p> : null}

      {view.kind === "confirm" ? (
        <>
          <h1 className="phone-title">{t.confirmTitle}</h1>
          <p>
            {t.confirmText(userName)[0]}
            <strong>{userName}</strong>
            {t.confirmText(userName)[2]}
          </p>
          <dl className="requester">
            <div>
              <dt>{t.browser}</dt>
              <dd>{t.browserOn(view.requester.browser, view.requester.os)}</dd>
            </div>
            <div>
              <dt>{t.ip}</dt>
              <dd>{view.requester.ip ?? t.unknown}</dd>
            </div>
            <div>
              <dt>{t.askedAt}</dt>
              <dd>{formatTime(view.requester.requestedAt, locale)}</dd>
            </div>
          </dl>
          {!view.requester.sameNetwork ? (
            <p className="warning" role="note">
              <strong>{t.differentNetwork}</strong> {t.differentNetworkText}
            </p>
          ) : null}
          <p className="form-error" role="alert">
            {view.error ?? ""}
          </p>
          <div className="decision">
            <button type="button" className="button button-decision" disabled={view.busy} onClick={() => decide("CANCEL")}>
              {t.cancel}
            </button>
            <button type="button" className="button button-decision button-decision-confirm" disabled={view.busy} onClick={() => decide("CONFIRM")}>
              {t.confirm}
            </button>
          </div>
        </>
      ) : null}

      {view.kind === "confirmed" ? (
        <div className="outcome">
          <span className="outcome-icon outcome-ok" aria-hidden="true">✓</span>
          <h1 className="phone-title">{t.confirmed}</h1>
          <p className="muted">{t.closePage}</p>
        </div>
      ) : null}

      {view.kind === "cancelled" ? (
        <div className="outcome">
          <span className="outcome-icon" aria-hidden="true">✕</span>
          <h1 className="phone-title">{t.cancelledTitle}</h1>
          <p className="muted">{t.cancelledText}</p>
        </div>
      ) : null}

      {view.kind === "problem" ? (
        <div className="outcome">
          <span className="outcome-icon outcome-problem" aria-hidden="true">!</span>
          <h1 className="phone-title">{t.problemTitle}</h1>
          <p>{view.message}</p>
          {view.signInAgain ? (
            <a className="button button-primary button-block" href={`/m?next=${encodeURIComponent(`/m/scan/${qrcodeId}`)}`}>
              {t.signInAgain}
            </a>
          ) : (
            <a className="button button-secondary button-block" href="/m">
              {t.back}
            </a>
          )}
        </div>
      ) : null}
    </section>
  );
}
