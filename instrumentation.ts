export async function register(): Promise<void> {
  // The configuration check uses Node APIs; the Edge runtime never serves this app's routes.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // The starter's own tests move its clock (only here: the registry items' instrumentation has none).
    const { installTestClock, testClockFile } = await import("@/lib/test-clock");
    let clockFile: string | undefined;
    try {
      clockFile = testClockFile();
    } catch (error) {
      // Refused (a production build other than the test build): the server does not start.
      const { log } = await import("@/lib/qr-login/platform/log");
      log.error("config.invalid", error instanceof Error ? error.message : String(error), { variable: "TEST_CLOCK_FILE" });
      process.exit(1);
    }
    if (clockFile) installTestClock(clockFile);
    // node-redis, which lib/ loads past the bundler (an optional package of the registry items),
    // imported here where Next's trace follows it: every function of a deployment carries what
    // instrumentation.ts imports, the proxy's too (next.config.mjs).
    if (process.env.REDIS_URL) await import("redis");
    // The start the qr-login-provider registry item adds (registry/qr-login-provider/instrumentation.ts).
    const { startQrLoginServer } = await import("@/lib/qr-login/platform/server-start");
    const { startEmbeddedProvider } = await import("@/lib/qr-login/provider/start/server-start");
    await startQrLoginServer({ provider: startEmbeddedProvider });

    // Traces only when there is somewhere to send them: otherwise no SDK is loaded, and the
    // spans in lib/ record nothing.
    const { telemetryRequested } = await import("@/lib/qr-login/platform/telemetry");
    if (telemetryRequested()) {
      const { registerOTel } = await import("@vercel/otel");
      registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || "qr-login" });
    }
  }
}
