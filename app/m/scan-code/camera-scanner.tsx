"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useId } from "react";

import { scanIntentAction } from "@/app/m/actions";
import styles from "@/app/m/scan-code/camera-scanner.module.css";
import { useCameraScan } from "@/app/m/scan-code/use-camera-scan";
import { useMessages } from "@/lib/i18n/locale-context";
import { scannedCode } from "@/lib/qr-login/scan-link";

/** `userPoolId`: the embedded provider's, which an Authing QR payload must name (QR_CODE_CONTENT=authing). */
export function CameraScanner({ userPoolId }: { userPoolId: string }) {
  const t = useMessages().scanCode;
  const router = useRouter();
  const hintId = useId();
  const accept = useCallback((text: string) => scannedCode(text, { origin: window.location.origin, userPoolId }), [userPoolId]);
  // Reading the code with the companion's camera is the user's act: the scan page goes straight on.
  const onAccept = useCallback(
    (path: string) => {
      const qrcodeId = path.split("/").pop();
      scanIntentAction(qrcodeId).then(
        () => router.push(path),
        () => router.push(path),
      );
    },
    [router],
  );
  const { videoRef, state, decoder, retry } = useCameraScan({ accept, onAccept });

  const failed = state.kind === "failed" ? state.reason : undefined;
  const status =
    state.kind === "starting"
      ? t.starting
      : state.kind === "found"
        ? t.found
        : state.kind === "scanning"
          ? state.refusal === "other-pool"
            ? t.otherPool
            : state.refusal
              ? t.wrongCode
              : t.scanning
          : t[failed!];
  const hint = state.kind === "starting" ? t.startingHint : failed ? t[`${failed}Hint`] : undefined;

  return (
    <section className="phone-card" data-scan-state={state.kind} data-decoder={decoder}>
      <h1 className="phone-title">{t.title}</h1>
      <p className="muted">{t.lead}</p>
      <div className={styles.viewport} role="region" aria-label={t.cameraView} hidden={Boolean(failed)}>
        <video ref={videoRef} className={styles.video} muted playsInline autoPlay aria-describedby={hintId} />
        <div className={styles.finder} aria-hidden="true" />
      </div>
      <div id={hintId}>
        <p role="status" aria-live="polite" className={state.kind === "scanning" && state.refusal ? "warning" : failed ? "notice" : undefined}>
          {status}
        </p>
        {hint ? <p className="muted small">{hint}</p> : null}
      </div>
      {failed ? (
        <button type="button" className="button button-primary button-block" onClick={retry}>
          {t.tryAgain}
        </button>
      ) : null}
      <Link href="/m" className="button button-secondary button-block">
        {t.cancel}
      </Link>
    </section>
  );
}
