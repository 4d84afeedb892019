import "server-only";

import { timingSafeEqual, createHash } from "node:crypto";

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { connection } from "next/server";

import { getConfig } from "@/lib/config";

function createMetrics() {
  const registry = new Registry();
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    codesCreated: counter("qr_login_codes_created_total", "QR codes created by the embedded provider"),
    scans: counter("qr_login_scans_total", "Codes scanned by a signed-in phone"),
    confirmations: counter("qr_login_confirmations_total", "Codes confirmed on the phone"),
    cancellations: counter("qr_login_cancellations_total", "Codes cancelled on the phone"),
    ticketsRedeemed: counter("qr_login_tickets_redeemed_total", "Tickets exchanged for a token set (at most once each)"),
    signIns: counter("qr_login_sign_ins_total", "Browsers signed in with a QR code (NextAuth session made)"),
    refusals: counter("qr_login_refusals_total", "Requests refused, by reason (the provider's apiCode name or the app's error)", ["reason"]),
    rateLimited: counter("qr_login_rate_limited_total", "Requests over a rate limit, by scope", ["scope"]),
    storeUnavailable: counter("qr_login_store_unavailable_total", "Requests answered 503 because the store could not be reached"),
    waitsHeld: new Gauge({ name: "qr_login_waits_held", help: "Status requests held open right now, waiting for a change", registers: [registry] }),
    noticeLatency: new Histogram({
      name: "qr_login_notice_latency_seconds",
      help: "From a code's status change to the waiting status request's answer",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    signInDuration: new Histogram({
      name: "qr_login_sign_in_duration_seconds",
      help: "The server's part of a sign-in: reading the ticket, exchanging it and checking the id_token, by outcome",
      labelNames: ["outcome"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    defaultsCollected: false,
  };
}

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as typeof globalThis & { qrLoginMetrics?: Metrics };

/** The process's metrics: counting costs an addition, exposing them needs METRICS_TOKEN. */
export function metrics(): Metrics {
  return (globalForMetrics.qrLoginMetrics ??= createMetrics());
}

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearsToken(request: Request, token: string): boolean {
  const presented = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
  return timingSafeEqual(sha256(presented), sha256(token));
}

/**
 * GET /api/metrics, Prometheus's text format, for a scraper presenting `Authorization: Bearer
 * <METRICS_TOKEN>`. Without METRICS_TOKEN the route does not exist (404).
 */
export async function metricsResponse(request: Request, token: string | undefined): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  if (!token) return Response.json({ error: "not_found", message: "Metrics are off: set METRICS_TOKEN to turn them on" }, { status: 404, headers: noStore });
  if (!bearsToken(request, token)) {
    return Response.json({ error: "unauthorized", message: "Send the METRICS_TOKEN as a bearer token" }, { status: 401, headers: { ...noStore, "www-authenticate": 'Bearer realm="metrics"' } });
  }
  const current = metrics();
  if (!current.defaultsCollected) {
    // Process metrics (CPU, memory, event loop lag) only once someone scrapes.
    collectDefaultMetrics({ register: current.registry });
    current.defaultsCollected = true;
  }
  return new Response(await current.registry.metrics(), { headers: { ...noStore, "content-type": current.registry.contentType } });
}

/** GET /api/metrics: off (404) unless METRICS_TOKEN is set, which is read per request, never at build. */
export async function metricsRoute(request: Request): Promise<Response> {
  await connection();
  return metricsResponse(request, getConfig().ops.metricsToken);
}
