export async function register(): Promise<void> {
  // The configuration check uses Node APIs; the Edge runtime never serves this app's routes.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigOnStart } = await import("@/lib/check-config-on-start");
    checkConfigOnStart();
    const { getConfig } = await import("@/lib/config");
    if (getConfig().provider.embedded) {
      const { registerInProcessProvider } = await import("@/app/(provider)/in-process-transport");
      registerInProcessProvider();
    }
  }
}
