import "server-only";

import NextAuth from "next-auth";
import { NextRequest, NextResponse } from "next/server";

import { getAuthOptions } from "@/lib/qr-login/client/auth/auth-options";
import { log } from "@/lib/qr-login/platform/log";
import { withRequestId } from "@/lib/qr-login/platform/request-context";
import { BodyTooLargeError, readBodyText } from "@/lib/qr-login/platform/request-body";

/**
 * NextAuth answers 500 ("server configuration") for several client mistakes: a callback it
 * cannot serve, a callbackUrl that is not a URL, a JSON body that does not parse. This guard
 * turns each of those into a 4xx before NextAuth sees the request; NextAuth itself is unchanged.
 */
const ACTIONS: Record<string, readonly ("GET" | "POST")[]> = {
  providers: ["GET"],
  csrf: ["GET"],
  session: ["GET", "POST"],
  signin: ["GET", "POST"],
  signout: ["GET", "POST"],
  // The only provider is a credentials one: its callback is a POST.
  callback: ["POST"],
  error: ["GET"],
  _log: ["POST"],
};
const PROVIDER_ID = "qrcode";

type Context = { params: Promise<{ nextauth: string[] }> };

const refuse = (status: number, message: string, headers: Record<string, string> = {}) =>
  NextResponse.json({ error: "invalid_request", message }, { status, headers: { "cache-control": "no-store", ...headers } });

/** As NextAuth's own check: an http(s) URL, absolute or relative to the app. */
function isValidHttpUrl(url: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(url, url.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/** A refusal, or the request NextAuth is to answer: a POST's body read once, only up to its cap, and handed on. */
async function refusalFor(request: NextRequest, segments: string[]): Promise<{ refusal: Response } | { request: NextRequest }> {
  const [action = "", providerId, ...rest] = segments;
  const methods = ACTIONS[action];
  if (!methods || rest.length > 0) return { refusal: refuse(404, "Unknown auth endpoint") };
  if (!(methods as readonly string[]).includes(request.method)) {
    return { refusal: refuse(405, `Method not allowed: use ${methods.join(" or ")}`, { allow: methods.join(", ") }) };
  }
  if ((action === "callback" || (action === "signin" && providerId !== undefined)) && providerId !== PROVIDER_ID) {
    return { refusal: refuse(404, "Unknown sign-in provider") };
  }
  const base = request.nextUrl.origin;
  const callbackUrl = request.nextUrl.searchParams.get("callbackUrl");
  if (callbackUrl !== null && !isValidHttpUrl(callbackUrl, base)) return { refusal: refuse(400, "callbackUrl is not a URL") };
  for (const cookie of request.cookies.getAll()) {
    if (cookie.name.endsWith("next-auth.callback-url") && !isValidHttpUrl(cookie.value, base)) {
      const response = refuse(400, "The callback-url cookie is not a URL");
      response.cookies.delete(cookie.name);
      return { refusal: response };
    }
  }
  if (request.method === "POST") {
    let text: string;
    try {
      // The body itself, not a clone: a clone left half read would hold the answer back.
      text = await readBodyText(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { refusal: refuse(413, "Request body is too large") };
      throw error;
    }
    if (request.headers.get("content-type")?.includes("application/json")) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { refusal: refuse(400, "Request body is not valid JSON") };
      }
      // NextAuth reads fields such as callbackUrl as strings and throws on anything else.
      const flat = typeof body === "object" && body !== null && !Array.isArray(body) && Object.values(body).every((value) => typeof value === "string");
      if (!flat) return { refusal: refuse(400, "Request body must be an object of strings") };
    }
    return { request: new NextRequest(request.url, { method: request.method, headers: request.headers, body: text }) };
  }
  return { request };
}

/**
 * Sign-out fails closed. NextAuth catches whatever its signOut event throws and clears the
 * cookie anyway, so a session whose end the store could not record would look signed out here
 * while every copy of its cookie stayed valid. Here a failure to record it answers 503 instead,
 * without touching the cookie: the session stays whole, the page says sign-out failed, and the
 * user can try again (the cookie holds the session id a retry needs).
 */
async function signOutFailingClosed(request: NextRequest, context: Context): Promise<Response> {
  const options = getAuthOptions();
  const signOut = options.events?.signOut;
  let failure: unknown;
  options.events = {
    ...options.events,
    signOut: async (message) => {
      try {
        await signOut?.(message);
      } catch (error) {
        failure = error;
      }
    },
  };
  const response = await NextAuth(request, context, options);
  if (failure === undefined) return response;
  log.error("auth.sign_out_failed", `Sign-out not recorded, the session is kept: ${failure instanceof Error ? failure.message : "unknown error"}`);
  return NextResponse.json(
    { error: "service_unavailable", message: "Sign-out did not go through: the session store is unreachable. You are still signed in; try again." },
    { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
  );
}

export function nextAuthRoute(request: NextRequest, context: Context): Promise<Response> {
  return withRequestId(request, async () => {
    const segments = (await context.params).nextauth ?? [];
    const checked = await refusalFor(request, segments);
    if ("refusal" in checked) return checked.refusal;
    // NextAuth's browser side reports its errors here, and with a logger configured NextAuth would
    // write whatever anyone posts to the server's log: answered as NextAuth answers with none.
    if (segments[0] === "_log") return NextResponse.json({}, { headers: { "cache-control": "no-store" } });
    if (segments[0] === "signout" && request.method === "POST") return signOutFailingClosed(checked.request, context);
    return NextAuth(checked.request, context, getAuthOptions());
  });
}
