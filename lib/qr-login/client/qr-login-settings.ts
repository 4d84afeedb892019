import "server-only";

import { getConfig } from "@/lib/qr-login/platform/config";

/** What the server's configuration tells `<QrLogin>` (components/qr-login re-exports it). */
export type QrLoginSettings = {
  /** How the page follows its code (see `statusUpdates` in config.ts). */
  statusUpdates: { waitSeconds: number; pollIntervalMs: number };
  qrCodeTtlSeconds: number;
  /** How many expired codes a visible page replaces by itself before asking for a click. */
  maxRenewals: number;
  /** The embedded provider's codes open this site's companion page (/m). */
  companionApp: boolean;
};

/** What `<QrLogin>` needs from the server's configuration; plain data, so a server page can pass it. */
export function getQrLoginSettings(): QrLoginSettings {
  const config = getConfig();
  return {
    statusUpdates: config.statusUpdates,
    qrCodeTtlSeconds: config.qrCodeTtlSeconds,
    maxRenewals: config.qrCodeAutoRenewals,
    // Real Authing's codes are for its own mobile SDK; only the embedded provider's open /m.
    companionApp: config.provider.embedded,
  };
}
