export async function register(): Promise<void> {
  // Node APIs: the Edge runtime never serves these routes.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startQrLoginServer } = await import("@/lib/qr-login/platform/server-start");
    await startQrLoginServer();
  }
}
