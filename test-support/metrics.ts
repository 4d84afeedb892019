import type { AppServer } from "./app-server";

/**
 * How many status requests the server is holding open right now: its `qr_login_waits_held`
 * gauge, read from /api/metrics (the server runs with METRICS_TOKEN set to `metricsToken`).
 */
export async function waitsHeld(server: Pick<AppServer, "origin">, metricsToken: string): Promise<number> {
  const metrics = await fetch(`${server.origin}/api/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } }).then((response) => response.text());
  return Number(/^qr_login_waits_held (\d+)/m.exec(metrics)?.[1] ?? "0");
}
