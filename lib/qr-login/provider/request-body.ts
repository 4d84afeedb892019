import "server-only";

import type { z } from "zod";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { trustedRequestOrigin } from "@/lib/qr-login/platform/request-info";
import { readBodyText } from "@/lib/qr-login/platform/request-body";

import { OAuthRefusal, ProviderError } from "./errors";

// What a provider handler reads from its request: the body (JSON for V3 and V2, a form for OAuth), the query, the origin.

export function zodMessage(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}

/** JSON body validated by `schema`: malformed JSON is a protocol error, a wrong shape a business one. */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const text = await readBodyText(request);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError(400, "Request body is not valid JSON", apiCodes.invalidRequest, 400);
  }
  return parseRequest(schema, json);
}

export function parseRequest<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProviderError(400, `Invalid request: ${zodMessage(parsed.error)}`, apiCodes.invalidRequest);
  return parsed.data;
}

export const queryOf = (request: Request) => Object.fromEntries(new URL(request.url).searchParams);

/**
 * The origin a code made by this request points at: NEXTAUTH_URL in production; in development
 * the origin the browser used (the app's server forwards it when it calls on the browser's behalf).
 */
export function requestOrigin(request: Request): string {
  const { proto, host } = trustedRequestOrigin(request.headers, new URL(request.url));
  return `${proto}://${host}`;
}

/**
 * Form parameters; JSON only when the body clearly is JSON (Authing's SDK sometimes sends a
 * form body with no usable content-type).
 */
export async function readOidcParams(request: Request): Promise<Record<string, string>> {
  if (request.method === "GET" || request.method === "HEAD") return {};
  const text = await readBodyText(request);
  const contentType = request.headers.get("content-type") ?? "";
  const trimmed = text.trim();
  if (contentType.includes("json") || (!contentType.includes("form") && trimmed.startsWith("{"))) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed || "{}");
    } catch {
      throw new OAuthRefusal("invalid_request", "Request body is not valid JSON", 400);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new OAuthRefusal("invalid_request", "Request body must be an object", 400);
    }
    return Object.fromEntries(
      Object.entries(json).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }
  return Object.fromEntries(new URLSearchParams(text));
}
