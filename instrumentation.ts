export async function register(): Promise<void> {
  // The configuration check uses Node APIs; the Edge runtime never serves this app's routes.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // The starter's own tests move its clock (only here: the registry items' instrumentation has none).
    const { installTestClock, testClockFile } = await import("@/lib/test-clock");
    const clockFile = testClockFile();
    if (clockFile) installTestClock(clockFile);
    // The start the qr-login-provider registry item adds (registry/qr-login-provider/instrumentation.ts).
    const { startQrLoginServer } = await import("@/lib/qr-login/server-start");
    const { startEmbeddedProvider } = await import("@/lib/provider/server-start");
    await startQrLoginServer({ provider: startEmbeddedProvider });

    // Traces only when there is somewhere to send them: otherwise no SDK is loaded, and the
    // spans in lib/ record nothing.
    const { telemetryRequested } = await import("@/lib/ops/telemetry");
    if (telemetryRequested()) {
      const { registerOTel } = await import("@vercel/otel");
      registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || "qr-login" });
    }
  }
}
