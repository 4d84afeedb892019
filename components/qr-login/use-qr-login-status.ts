"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import useSWR from "swr";

import type { QrCodeStatus } from "@/lib/qr-login/client/authing/schemas";
import type { HeldAccount } from "@/lib/qr-login/client/flow/account-check";
import type { BrowserQrCode, BrowserQrCodeStatus } from "@/lib/qr-login/client/flow/browser-qr-login";

/** An answer from the app's own /api/qr-login endpoints that was not a success. */
export class QrLoginRequestError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    /** Worth trying again by itself: the network, the server or a rate limit, not this code. */
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "QrLoginRequestError";
  }
}

const MAX_BACKOFF_MS = 15_000;
const terminalStatuses: ReadonlySet<QrCodeStatus> = new Set(["AUTHORIZED", "CANCELLED", "EXPIRED", "ERROR"]);

export function isTerminal(status: QrCodeStatus | undefined): boolean {
  return status !== undefined && terminalStatuses.has(status);
}

async function requestJson<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { ...init, cache: "no-store", credentials: "same-origin" });
  } catch (error) {
    if (init?.signal?.aborted) throw error;
    throw new QrLoginRequestError(0, "Network trouble: the server cannot be reached.", true);
  }
  const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
  if (response.ok && body) return body as T;
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryable = response.status === 0 || response.status === 429 || response.status >= 500 || !body;
  throw new QrLoginRequestError(
    response.status,
    body?.message ?? `The server answered ${response.status}.`,
    retryable,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}

export function createQrCode(): Promise<BrowserQrCode> {
  return requestJson<BrowserQrCode>("/api/qr-login", { method: "POST" });
}

/** Who waits for this browser's tap after confirming one of its codes (see lib/qr-login/client/flow/account-check.ts). */
export function readHeldAccount(): Promise<{ qrcodeId: string; account: HeldAccount }> {
  return requestJson("/api/qr-login/held-sign-in");
}

/** Refuses the held sign-in: the server drops it and revokes its tokens. */
export function refuseHeldAccount(): Promise<{ refused: boolean }> {
  return requestJson("/api/qr-login/held-sign-in", { method: "DELETE" });
}

export function backoffMs(retryCount: number, error?: QrLoginRequestError): number {
  return error?.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(0, retryCount - 1));
}

/** True once `deadline` (ISO) has passed; re-renders the caller at that moment. */
function usePassed(deadline: string | undefined): boolean {
  // Which deadline has passed, so that a new code is not "expired" for the render before the effect.
  const [passed, setPassed] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!deadline) return;
    const remaining = Math.max(0, Date.parse(deadline) - Date.now());
    const timer = setTimeout(() => setPassed(deadline), Math.min(remaining, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [deadline]);
  return passed !== undefined && passed === deadline;
}

/** How the server lets the page follow its code (see `statusUpdates` in lib/qr-login/platform/config.ts). */
export type StatusUpdates = { waitSeconds: number; pollIntervalMs: number };

/**
 * Follows one code's status. Where the server can wait, one request is always open and the next
 * goes out as soon as an answer arrives (the server answers on a change, or after waitSeconds);
 * elsewhere it polls every pollIntervalMs. Never in a hidden tab; backing off while the network
 * is in trouble; "expired" once its time is up.
 */
export function useQrLoginStatus(
  qrCode: BrowserQrCode | null,
  { waitSeconds, pollIntervalMs }: StatusUpdates,
  /** Called with every answer, even one that repeats the last (SWR's data would not change). */
  onAnswer?: (answer: BrowserQrCodeStatus) => void,
) {
  const expired = usePassed(qrCode?.expiresAt);
  const onAnswerRef = useRef(onAnswer);
  useLayoutEffect(() => {
    onAnswerRef.current = onAnswer;
  });
  const knownStatus = useRef<QrCodeStatus | undefined>(undefined);
  // SWR passes no abort signal to a fetcher: a held request is aborted when its code goes away.
  // A layout effect, declared before useSWR, so the new controller is in place before SWR's own
  // layout effect sends the first request for a new code.
  const aborter = useRef<{ qrcodeId: string; controller: AbortController } | null>(null);
  const qrcodeId = qrCode?.qrcodeId;
  useLayoutEffect(() => {
    if (!qrcodeId) return;
    const current = { qrcodeId, controller: new AbortController() };
    aborter.current = current;
    knownStatus.current = undefined;
    return () => current.controller.abort();
  }, [qrcodeId]);

  const fetchStatus = useCallback(
    async (url: string): Promise<BrowserQrCodeStatus> => {
      for (;;) {
        const current = aborter.current;
        const waiting = waitSeconds > 0 && knownStatus.current !== undefined;
        const query = waiting ? `&waitSeconds=${waitSeconds}&knownStatus=${knownStatus.current}` : "";
        try {
          const answer = await requestJson<BrowserQrCodeStatus>(`${url}${query}`, { signal: current?.controller.signal });
          knownStatus.current = answer.status;
          onAnswerRef.current?.(answer);
          return answer;
        } catch (error) {
          // Strict Mode (development) unmounts and mounts effects again, aborting the first
          // request of a code that is still on screen; SWR shares that very request with the
          // remount, so it must not end in an error (SWR would stop refreshing): ask again.
          const remounted = aborter.current !== current && aborter.current?.qrcodeId === current?.qrcodeId;
          if (current?.controller.signal.aborted && remounted) continue;
          // After trouble, the next answer should come at once rather than after a wait.
          knownStatus.current = undefined;
          throw error;
        }
      }
    },
    [waitSeconds],
  );
  const refreshInterval = useCallback(
    (latest: BrowserQrCodeStatus | undefined) => {
      if (isTerminal(latest?.status) || (qrCode && Date.now() >= Date.parse(qrCode.expiresAt))) return 0;
      if (waitSeconds === 0) return pollIntervalMs;
      // The server held no wait for this one (too many are held): poll for a while.
      if (latest?.pollAfterMs) return latest.pollAfterMs;
      // The next request goes out as soon as the last answer is in; a hidden tab only checks back.
      return document.visibilityState === "hidden" ? 1_000 : 1;
    },
    [qrCode, waitSeconds, pollIntervalMs],
  );

  const { data, error, mutate, isValidating } = useSWR<BrowserQrCodeStatus, QrLoginRequestError>(
    qrCode ? `/api/qr-login/status?qrcodeId=${encodeURIComponent(qrCode.qrcodeId)}` : null,
    fetchStatus,
    {
      refreshInterval,
      refreshWhenHidden: false,
      refreshWhenOffline: false,
      revalidateOnFocus: true,
      revalidateIfStale: true,
      // No gap without an open request: an in-flight request is still shared (deduplicated).
      dedupingInterval: 0,
      shouldRetryOnError: (err) => err instanceof QrLoginRequestError && err.retryable,
      onErrorRetry: (err, _key, _config, revalidate, { retryCount }) => {
        if (!(err instanceof QrLoginRequestError) || !err.retryable) return;
        setTimeout(() => revalidate({ retryCount }), backoffMs(retryCount, err));
      },
    },
  );

  let status: QrCodeStatus | undefined = data?.status;
  if (expired && status !== "AUTHORIZED" && status !== "CANCELLED") status = "EXPIRED";
  return {
    status,
    scanner: data?.scanner,
    error: error instanceof QrLoginRequestError && !(data && isTerminal(data.status)) ? error : undefined,
    retry: () => mutate(),
    isValidating,
  };
}
