export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigOnStart } = await import("@/lib/check-config-on-start");
    checkConfigOnStart();
    const { getConfig } = await import("@/lib/config");
    // The embedded provider answers the QR login client in-process, through the client's one seam.
    if (getConfig().provider.embedded) {
      const { registerInProcessProvider } = await import("@/app/(provider)/in-process-transport");
      registerInProcessProvider();
    }
    // SIGTERM answers held status requests at once instead of after 25 s.
    const { installShutdownHandlers } = await import("@/lib/ops/shutdown");
    const { closeStoreIfOpen } = await import("@/lib/store");
    installShutdownHandlers(closeStoreIfOpen);
  }
}
