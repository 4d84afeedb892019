import "server-only";

import { SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";

/**
 * Spans of the sign-in, under the tracer instrumentation.ts registers when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set; otherwise @opentelemetry/api answers no-op spans and this costs a function call.
 * Attributes name the code, the action and the outcome: never a ticket, token, secret or password.
 */
const tracer = () => trace.getTracer("qr-login");

export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : "error" });
      throw error;
    } finally {
      span.end();
    }
  });
}
