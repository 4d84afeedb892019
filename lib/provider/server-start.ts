import "server-only";

import { getConfig } from "@/lib/config";
import { installShutdownHandlers } from "@/lib/ops/shutdown";
import { closeClientStateIfOpen } from "@/lib/qr-login/client-state";

import { checkConfigOnStart } from "./check-config-on-start";

/** Once per server process, from instrumentation.ts (this app's, and the one the registry adds). */
export async function startQrLoginServer(): Promise<void> {
  checkConfigOnStart();
  // The embedded provider plugs into the QR login client through the client's one seam; against
  // real Authing it is never loaded.
  if (getConfig().provider.embedded) {
    const { registerInProcessProvider } = await import("./in-process-transport");
    registerInProcessProvider();
  }
  // SIGTERM (every deploy) answers held status requests at once instead of after 25 s.
  installShutdownHandlers(closeClientStateIfOpen);
}
