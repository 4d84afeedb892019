import type { AppServer } from "./app-server";

/**
 * A metric's value now, read from /api/metrics (the server runs with METRICS_TOKEN set to
 * `metricsToken`): the first sample of `name` (a counter's or a gauge's), 0 when there is none.
 */
export async function metricValue(server: Pick<AppServer, "origin">, metricsToken: string, name: string): Promise<number> {
  const metrics = await fetch(`${server.origin}/api/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } }).then((response) => response.text());
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(metrics)?.[1] ?? "0");
}

/** How many status requests the server is holding open right now: its `qr_login_waits_held` gauge. */
export const waitsHeld = (server: Pick<AppServer, "origin">, metricsToken: string) => metricValue(server, metricsToken, "qr_login_waits_held");

/** How many codes the embedded provider has made since it started: `qr_login_codes_created_total`. */
export const codesCreated = (server: Pick<AppServer, "origin">, metricsToken: string) => metricValue(server, metricsToken, "qr_login_codes_created_total");
