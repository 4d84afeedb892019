export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigOnStart } = await import("@/lib/check-config-on-start");
    checkConfigOnStart();
    const { getConfig } = await import("@/lib/config");
    // The embedded provider plugs into the QR login client through the client's one seam.
    if (getConfig().provider.embedded) {
      const { registerInProcessProvider } = await import("@/lib/provider/in-process-transport");
      registerInProcessProvider();
    }
    // SIGTERM (every deploy) answers held status requests at once instead of after 25 s.
    const { installShutdownHandlers } = await import("@/lib/ops/shutdown");
    const { closeClientStateIfOpen } = await import("@/lib/qr-login/client-state");
    installShutdownHandlers(closeClientStateIfOpen);
  }
}
