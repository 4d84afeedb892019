"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

import { createQrDecoder, type QrDecoderKind } from "@/app/(provider)/m/scan-code/qr-decoder";
import type { ScannedCode, ScanRefusal } from "@/lib/qr-login/companion/scan-link";

export type CameraScanState =
  | { kind: "starting" }
  /** `refusal`: why the code in view a moment ago is not opened, when one was. */
  | { kind: "scanning"; refusal?: ScanRefusal }
  | { kind: "found"; path: string }
  | { kind: "failed"; reason: "denied" | "unavailable" | "insecure" | "not-loaded" };

/**
 * Frames are read this often at most; a decode takes a few ms to tens of ms on a phone, and the
 * pause after one is at least twice as long as it took, so a slow phone spends no more than a
 * third of its time decoding.
 */
const FRAME_INTERVAL_MS = 150;
/** Larger frames are scaled down before decoding: a code that fills a fair part of the view stays readable. */
const MAX_FRAME_SIDE = 720;
/** How long a refusal ("not a code for this site") stays up after that code left the view. */
const WRONG_CODE_MS = 3_000;

function failureReason(error: unknown): "denied" | "unavailable" {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  return name === "NotAllowedError" || name === "SecurityError" ? "denied" : "unavailable";
}

/**
 * Opens the back camera, reads QR codes from its frames, and hands the first one `accept` takes
 * (to a path) to `onAccept`, after which the camera is off. The camera is off too when the component
 * unmounts, whatever the moment (even while the permission prompt is still up).
 */
export function useCameraScan({
  accept,
  onAccept,
}: {
  accept: (text: string) => ScannedCode;
  onAccept: (path: string) => void;
}): { videoRef: RefObject<HTMLVideoElement | null>; state: CameraScanState; decoder?: QrDecoderKind; retry: () => void } {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [state, setState] = useState<CameraScanState>({ kind: "starting" });
  const [decoder, setDecoder] = useState<QrDecoderKind>();
  const [attempt, setAttempt] = useState(0);
  const callbacks = useRef({ accept, onAccept });
  useEffect(() => {
    callbacks.current = { accept, onAccept };
  }, [accept, onAccept]);

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
      // Only its own stream: a run stopped while asking must not blank the next run's video.
      if (stream && videoRef.current?.srcObject === stream) videoRef.current.srcObject = null;
    };

    async function run() {
      setState({ kind: "starting" });
      if (!window.isSecureContext) return setState({ kind: "failed", reason: "insecure" });
      if (!navigator.mediaDevices?.getUserMedia) return setState({ kind: "failed", reason: "unavailable" });
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        if (!stopped) setState({ kind: "failed", reason: failureReason(error) });
        return;
      }
      if (stopped) return stop();
      const video = videoRef.current;
      if (!video) return stop();
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      // The JS decoder is a chunk of its own: it may fail to arrive on a bad connection.
      const qrDecoder = await createQrDecoder().catch(() => null);
      if (stopped) return;
      if (!qrDecoder) {
        stop();
        return setState({ kind: "failed", reason: "not-loaded" });
      }
      setDecoder(qrDecoder.kind);
      setState({ kind: "scanning" });

      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      if (!context) {
        stop();
        return setState({ kind: "failed", reason: "unavailable" });
      }
      let refused: { refusal: ScanRefusal; at: number } | undefined;

      const readFrame = async () => {
        if (stopped) return;
        const started = performance.now();
        if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0 && document.visibilityState === "visible") {
          const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(video.videoWidth, video.videoHeight));
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          const texts = await qrDecoder.decode(canvas, context).catch(() => [] as string[]);
          if (stopped) return;
          for (const text of texts) {
            const scanned = callbacks.current.accept(text);
            if ("path" in scanned) {
              stop();
              setState({ kind: "found", path: scanned.path });
              callbacks.current.onAccept(scanned.path);
              return;
            }
            refused = { refusal: scanned.refusal, at: performance.now() };
          }
          const refusal = refused && performance.now() - refused.at < WRONG_CODE_MS ? refused.refusal : undefined;
          setState((current) => (current.kind === "scanning" && current.refusal === refusal ? current : { kind: "scanning", refusal }));
        }
        timer = setTimeout(readFrame, Math.max(FRAME_INTERVAL_MS, 2 * (performance.now() - started)));
      };
      void readFrame();
    }

    void run();
    return stop;
  }, [attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { videoRef, state, decoder, retry };
}
