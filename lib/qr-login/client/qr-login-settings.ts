import "server-only";

import { getConfig } from "@/lib/qr-login/platform/config";
import type { QrLoginSettings } from "@/components/qr-login/qr-login-types";

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
