import "server-only";

import { timingSafeEqual, createHash } from "node:crypto";

import { connection } from "next/server";

import { getConfig } from "@/lib/qr-login/platform/config";
import { missingPackage } from "@/lib/qr-login/platform/optional-package";

type Labels = Record<string, string>;
type Counter = { inc(labels?: Labels): void };
type Gauge = { inc(): void; dec(): void };
type Histogram = { observe(value: number): void; observe(labels: Labels, value: number): void };
type MetricsRegistry = { metrics(): Promise<string>; readonly contentType: string };
type Registered = { name: string; help: string; labelNames?: string[]; registers: MetricsRegistry[] };

/** What this uses of prom-client, declared here: an app without the package still type-checks. */
type PromClient = {
  Registry: new () => MetricsRegistry;
  Counter: new (config: Registered) => Counter;
  Gauge: new (config: Registered) => Gauge;
  Histogram: new (config: Registered & { buckets: number[] }) => Histogram;
  collectDefaultMetrics(options: { register: MetricsRegistry }): void;
};

const PROM_CLIENT: string = "prom-client";

const uncounted = { inc() {}, dec() {}, observe() {} };

function createMetrics(client: PromClient | undefined) {
  const registry = client ? new client.Registry() : undefined;
  const registers = registry ? [registry] : [];
  const counter = (name: string, help: string, labelNames: string[] = []): Counter =>
    client ? new client.Counter({ name, help, labelNames, registers }) : uncounted;
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
    waitsHeld: client
      ? new client.Gauge({ name: "qr_login_waits_held", help: "Status requests held open right now, waiting for a change", registers })
      : (uncounted as Gauge),
    noticeLatency: client
      ? new client.Histogram({
          name: "qr_login_notice_latency_seconds",
          help: "From a code's status change to the waiting status request's answer",
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers,
        })
      : (uncounted as Histogram),
    signInDuration: client
      ? new client.Histogram({
          name: "qr_login_sign_in_duration_seconds",
          help: "The server's part of a sign-in: reading the ticket, exchanging it and checking the id_token, by outcome",
          labelNames: ["outcome"],
          buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers,
        })
      : (uncounted as Histogram),
    defaultsCollected: false,
  };
}

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as typeof globalThis & { qrLoginMetrics?: Metrics; qrLoginPromClient?: PromClient };

/**
 * Loads prom-client, at start (startQrLoginServer) when METRICS_TOKEN is set, so that counting
 * stays synchronous. Without it every count is a no-op and the app needs no prom-client.
 */
export async function loadMetrics(): Promise<void> {
  if (globalForMetrics.qrLoginPromClient) return;
  try {
    // A name the bundler and tsc do not resolve: an app without prom-client builds and type-checks.
    const loaded = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ PROM_CLIENT)) as PromClient & { default?: PromClient };
    globalForMetrics.qrLoginPromClient = loaded.default ?? loaded;
  } catch (error) {
    throw missingPackage("prom-client", "METRICS_TOKEN", error);
  }
  globalForMetrics.qrLoginMetrics = undefined;
}

/** The process's metrics: counting costs an addition, exposing them needs METRICS_TOKEN (and prom-client). */
export function metrics(): Metrics {
  return (globalForMetrics.qrLoginMetrics ??= createMetrics(globalForMetrics.qrLoginPromClient));
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
  const client = globalForMetrics.qrLoginPromClient;
  if (!client || !current.registry) {
    return Response.json({ error: "unavailable", message: "METRICS_TOKEN is set but prom-client is not installed: npm install prom-client" }, { status: 503, headers: noStore });
  }
  if (!current.defaultsCollected) {
    // Process metrics (CPU, memory, event loop lag) only once someone scrapes.
    client.collectDefaultMetrics({ register: current.registry });
    current.defaultsCollected = true;
  }
  return new Response(await current.registry.metrics(), { headers: { ...noStore, "content-type": current.registry.contentType } });
}

/** GET /api/metrics: off (404) unless METRICS_TOKEN is set, which is read per request, never at build. */
export async function metricsRoute(request: Request): Promise<Response> {
  await connection();
  return metricsResponse(request, getConfig().ops.metricsToken);
}
