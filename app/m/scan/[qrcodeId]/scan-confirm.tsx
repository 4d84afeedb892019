"use client";

import { useEffect, useRef, useState } from "react";

import { codeFateAction, decideAction, scanAction } from "@/app/m/actions";
import type { ScanRequester } from "@/lib/qr-login/companion";

type View =
  | { kind: "scanning" }
  | { kind: "confirm"; requester: ScanRequester; busy: boolean; error?: string }
  | { kind: "confirmed" }
  | { kind: "cancelled" }
  | { kind: "problem"; message: string; signInAgain: boolean };

const companionFateMessages = {
  expired: "This QR code has expired. Get a new code on the other device and scan again.",
  used: "This QR code was already used. Get a new code on the other device.",
};

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

export function ScanConfirm({ qrcodeId, userName }: { qrcodeId: string; userName: string }) {
  const [view, setView] = useState<View>({ kind: "scanning" });
  const scanned = useRef(false);

  useEffect(() => {
    if (scanned.current) return;
    scanned.current = true;
    scanAction(qrcodeId).then(
      (result) =>
        setView(
          result.ok
            ? { kind: "confirm", requester: result.value, busy: false }
            : { kind: "problem", message: result.message, signInAgain: result.problem === "sign-in-required" },
        ),
      () => setView({ kind: "problem", message: "Could not reach the server. Check your connection and reload.", signInAgain: false }),
    );
  }, [qrcodeId]);

  // The confirm screen follows the code: expired at its deadline, and cancelled or used elsewhere
  // (the desktop started over, or another tab of this phone decided) without a tap.
  const confirming = view.kind === "confirm" && !view.busy ? view.requester : null;
  useEffect(() => {
    if (!confirming) return;
    const fate = (status: string) => {
      if (status === "EXPIRED") setView({ kind: "problem", message: companionFateMessages.expired, signInAgain: false });
      if (status === "CANCELLED") setView({ kind: "cancelled" });
      if (status === "AUTHORIZED") setView({ kind: "problem", message: companionFateMessages.used, signInAgain: false });
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
  }, [confirming, qrcodeId]);

  async function decide(decision: "CONFIRM" | "CANCEL") {
    if (view.kind !== "confirm" || view.busy) return;
    setView({ ...view, busy: true, error: undefined });
    try {
      const result = await decideAction(qrcodeId, decision);
      if (result.ok) setView({ kind: decision === "CONFIRM" ? "confirmed" : "cancelled" });
      else setView({ kind: "problem", message: result.message, signInAgain: result.problem === "sign-in-required" });
    } catch {
      setView({ ...view, busy: false, error: "That did not reach the server. Check your connection and try again." });
    }
  }

  return (
    // The card itself is the live region: each step replaces its content, and is announced once.
    <section className="phone-card" aria-live="polite" aria-busy={view.kind === "scanning"}>
      {view.kind === "scanning" ? <p className="muted">Reading the code…</p> : null}

      {view.kind === "confirm" ? (
        <>
          <h1 className="phone-title">Sign in on another device?</h1>
          <p>
            A browser is asking to sign in as <strong>{userName}</strong>. Only confirm if you just opened the sign-in
            page yourself.
          </p>
          <dl className="requester">
            <div>
              <dt>Browser</dt>
              <dd>
                {view.requester.browser} on {view.requester.os}
              </dd>
            </div>
            <div>
              <dt>IP address</dt>
              <dd>{view.requester.ip ?? "Unknown"}</dd>
            </div>
            <div>
              <dt>Asked at</dt>
              <dd>{formatTime(view.requester.requestedAt)}</dd>
            </div>
          </dl>
          {!view.requester.sameNetwork ? (
            <p className="warning" role="note">
              <strong>Different network.</strong> This request does not come from your phone&apos;s network, as far as
              this app can tell. If someone sent you this code, cancel.
            </p>
          ) : null}
          <p className="form-error" role="alert">
            {view.error ?? ""}
          </p>
          <div className="decision">
            <button type="button" className="button button-decision" disabled={view.busy} onClick={() => decide("CANCEL")}>
              Cancel
            </button>
            <button type="button" className="button button-decision button-decision-confirm" disabled={view.busy} onClick={() => decide("CONFIRM")}>
              Confirm sign-in
            </button>
          </div>
        </>
      ) : null}

      {view.kind === "confirmed" ? (
        <div className="outcome">
          <span className="outcome-icon outcome-ok" aria-hidden="true">✓</span>
          <h1 className="phone-title">You&apos;re signed in on the other device</h1>
          <p className="muted">You can close this page.</p>
        </div>
      ) : null}

      {view.kind === "cancelled" ? (
        <div className="outcome">
          <span className="outcome-icon" aria-hidden="true">✕</span>
          <h1 className="phone-title">Sign-in cancelled</h1>
          <p className="muted">Nothing was signed in. You can close this page.</p>
        </div>
      ) : null}

      {view.kind === "problem" ? (
        <div className="outcome">
          <span className="outcome-icon outcome-problem" aria-hidden="true">!</span>
          <h1 className="phone-title">Can&apos;t use this code</h1>
          <p>{view.message}</p>
          {view.signInAgain ? (
            <a className="button button-primary button-block" href={`/m?next=${encodeURIComponent(`/m/scan/${qrcodeId}`)}`}>
              Sign in again
            </a>
          ) : (
            <a className="button button-secondary button-block" href="/m">
              Back
            </a>
          )}
        </div>
      ) : null}
    </section>
  );
}
