"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useId } from "react";

import { scanIntentAction } from "@/app/(provider)/m/actions";
import { useCameraScan } from "@/app/(provider)/m/scan-code/use-camera-scan";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useMessages } from "@/lib/qr-login/client/i18n/locale-context";
import { scannedCode } from "@/lib/qr-login/companion/scan-link";
import { cn } from "@/lib/utils";

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
  const refused = state.kind === "scanning" && Boolean(state.refusal);
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
    <Card className="gap-4 px-5" data-scan-state={state.kind} data-decoder={decoder}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.title}</h1>
      <p className="text-muted-foreground">{t.lead}</p>
      <div className="relative aspect-3/4 w-full overflow-hidden rounded-xl bg-black" role="region" aria-label={t.cameraView} hidden={Boolean(failed)}>
        <video ref={videoRef} className="absolute inset-0 size-full object-cover" muted playsInline autoPlay aria-describedby={hintId} />
        {/* Where to put the code: a square in the middle, the rest dimmed. */}
        <div
          className="absolute top-1/2 left-1/2 aspect-square w-[64%] -translate-1/2 rounded-2xl border-3 border-white/90 shadow-[0_0_0_100vmax_rgb(0_0_0/35%)]"
          aria-hidden="true"
        />
      </div>
      <div id={hintId} className="flex flex-col gap-1">
        {/* One live region throughout, so each new status is announced; a refusal or failure stands out. */}
        <p
          role="status"
          aria-live="polite"
          className={cn((failed || refused) && "rounded-lg border bg-card px-4 py-3 text-sm", refused && "border-destructive/50 text-destructive")}
        >
          {status}
        </p>
        {hint ? <p className="text-sm text-muted-foreground">{hint}</p> : null}
      </div>
      {failed ? (
        <Button type="button" size="lg" className="h-11 w-full" onClick={retry}>
          {t.tryAgain}
        </Button>
      ) : null}
      <Link className={buttonVariants({ variant: "outline", size: "lg", className: "h-11 w-full" })} href="/m">
        {t.cancel}
      </Link>
    </Card>
  );
}
