"use client";

import { useEffect, useState } from "react";

import type { BrowserQrCode } from "@/lib/qr-login/client/flow/browser-qr-login";

/** Whether the page is visible, following visibilitychange; true during server rendering. */
function useVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

/**
 * An expired code on a visible page is replaced, a bounded number of times; a hidden page
 * waits until it is seen again, so that nobody renews codes for an empty room. True while a
 * renewal is on its way, so that the page says so rather than flashing "expired".
 */
export function useQrCodeRenewal({
  expired,
  qrCode,
  creating,
  renewals,
  maxRenewals,
  renew,
}: {
  expired: boolean;
  qrCode: BrowserQrCode | null;
  creating: boolean;
  renewals: number;
  maxRenewals: number;
  renew: () => void;
}): boolean {
  const visible = useVisible();
  const [renewedFor, setRenewedFor] = useState<string | null>(null);
  const renewing = expired && !!qrCode && visible && renewals < maxRenewals && renewedFor !== qrCode.qrcodeId;
  useEffect(() => {
    if (!renewing || !qrCode) return;
    // On the next turn, like the first code: Strict Mode's second mount clears the first timer.
    const timer = setTimeout(() => {
      setRenewedFor(qrCode.qrcodeId);
      renew();
    }, 0);
    return () => clearTimeout(timer);
  }, [renewing, qrCode, renew]);
  return renewing || (expired && creating && renewedFor === qrCode?.qrcodeId);
}
