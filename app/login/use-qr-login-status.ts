"use client";

import { useEffect, useState } from "react";
import useSWR from "swr";

import type { QrCodeStatus } from "@/lib/authing/schemas";
import type { BrowserQrCode, BrowserQrCodeStatus } from "@/lib/qr-login/browser-qr-login";

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

const POLL_INTERVAL_MS = 1_000;
const MAX_BACKOFF_MS = 15_000;
const terminalStatuses: ReadonlySet<QrCodeStatus> = new Set(["AUTHORIZED", "CANCELLED", "EXPIRED", "ERROR"]);

export function isTerminal(status: QrCodeStatus | undefined): boolean {
  return status !== undefined && terminalStatuses.has(status);
}

async function requestJson<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { ...init, cache: "no-store", credentials: "same-origin" });
  } catch {
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

export function backoffMs(retryCount: number, error?: QrLoginRequestError): number {
  return error?.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(0, retryCount - 1));
}

/** True once `deadline` (ISO) has passed; re-renders the caller at that moment. */
function usePassed(deadline: string | undefined): boolean {
  const [passed, setPassed] = useState(false);
  useEffect(() => {
    if (!deadline) return;
    const remaining = Date.parse(deadline) - Date.now();
    setPassed(remaining <= 0);
    if (remaining <= 0) return;
    const timer = setTimeout(() => setPassed(true), Math.min(remaining, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [deadline]);
  return passed;
}

/**
 * Follows one code's status: every second while it can still change, never in a hidden tab,
 * backing off while the network is in trouble, and "expired" once its time is up.
 */
export function useQrLoginStatus(qrCode: BrowserQrCode | null) {
  const expired = usePassed(qrCode?.expiresAt);
  const { data, error, mutate, isValidating } = useSWR<BrowserQrCodeStatus, QrLoginRequestError>(
    qrCode ? `/api/qr-login/status?qrcodeId=${encodeURIComponent(qrCode.qrcodeId)}` : null,
    (url: string) => requestJson<BrowserQrCodeStatus>(url),
    {
      refreshInterval: (latest) =>
        isTerminal(latest?.status) || (qrCode && Date.now() >= Date.parse(qrCode.expiresAt)) ? 0 : POLL_INTERVAL_MS,
      refreshWhenHidden: false,
      refreshWhenOffline: false,
      revalidateOnFocus: true,
      revalidateIfStale: true,
      dedupingInterval: 500,
      shouldRetryOnError: (err) => err.retryable,
      onErrorRetry: (err, _key, _config, revalidate, { retryCount }) => {
        if (!err.retryable) return;
        setTimeout(() => revalidate({ retryCount }), backoffMs(retryCount, err));
      },
    },
  );

  let status: QrCodeStatus | undefined = data?.status;
  if (expired && status !== "AUTHORIZED" && status !== "CANCELLED") status = "EXPIRED";
  return {
    status,
    scanner: data?.scanner,
    error: error && !(data && isTerminal(data.status)) ? error : undefined,
    retry: () => mutate(),
    isValidating,
  };
}
