import "server-only";

import { missingPackage } from "@/lib/qr-login/platform/optional-package";

type Attributes = Record<string, string | number | boolean>;
export type Span = {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setAttributes(attributes: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
};

/** What this uses of @opentelemetry/api, declared here: an app without the package still type-checks. */
type OpenTelemetryApi = {
  trace: { getTracer(name: string): { startActiveSpan<T>(name: string, options: { attributes: Attributes }, work: (span: Span) => T): T } };
  SpanStatusCode: { ERROR: number };
};

const OPENTELEMETRY_API: string = "@opentelemetry/api";
const globalForTelemetry = globalThis as typeof globalThis & { qrLoginOpenTelemetry?: OpenTelemetryApi };

const unrecorded: Span = { setAttribute: () => unrecorded, setAttributes: () => unrecorded, setStatus: () => unrecorded, end() {} };

/** Whether traces are asked for: an OTLP endpoint is set (OpenTelemetry's own variables), and the SDK is not disabled. */
export function telemetryRequested(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== "true";
}

/**
 * Loads @opentelemetry/api, at start (startQrLoginServer) when traces are asked for. The app's
 * instrumentation.ts registers the SDK that sends them (e.g. @vercel/otel's registerOTel).
 */
export async function loadTelemetry(): Promise<void> {
  if (globalForTelemetry.qrLoginOpenTelemetry) return;
  try {
    // A name the bundler and tsc do not resolve: an app without the package builds and type-checks.
    const loaded = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ OPENTELEMETRY_API)) as OpenTelemetryApi & { default?: OpenTelemetryApi };
    globalForTelemetry.qrLoginOpenTelemetry = loaded.trace ? loaded : loaded.default;
  } catch (error) {
    throw missingPackage(OPENTELEMETRY_API, "OTEL_EXPORTER_OTLP_ENDPOINT", error);
  }
}

/**
 * Spans of the sign-in, under the tracer the app's instrumentation registers when traces are
 * asked for; otherwise a span that records nothing, and this costs a function call.
 * Attributes name the code, the action and the outcome: never a ticket, token, secret or password.
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  const api = globalForTelemetry.qrLoginOpenTelemetry;
  if (!api) return work(unrecorded);
  return api.trace.getTracer("qr-login").startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.name : "error" });
      throw error;
    } finally {
      span.end();
    }
  });
}
