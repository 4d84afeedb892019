export async function register(): Promise<void> {
  // The configuration check uses Node APIs; the Edge runtime never serves this app's routes.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigOnStart } = await import("@/lib/check-config-on-start");
    checkConfigOnStart();
    const { getConfig } = await import("@/lib/config");
    const { testClockFile } = getConfig();
    if (testClockFile) {
      const { installTestClock } = await import("@/lib/test-clock");
      installTestClock(testClockFile);
    }
    if (getConfig().provider.embedded) {
      const { registerInProcessProvider } = await import("@/lib/provider/in-process-transport");
      registerInProcessProvider();
    }

    // SIGTERM (every deploy) answers held status requests at once instead of after 25 s.
    const { installShutdownHandlers } = await import("@/lib/ops/shutdown");
    const { closeClientStateIfOpen } = await import("@/lib/qr-login/client-state");
    installShutdownHandlers(closeClientStateIfOpen);

    // Traces only when there is somewhere to send them: otherwise no SDK is loaded, and the
    // spans in lib/ are @opentelemetry/api's no-ops.
    const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    if (endpoint && process.env.OTEL_SDK_DISABLED !== "true") {
      const { registerOTel } = await import("@vercel/otel");
      registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || "qr-login" });
    }
  }
}
