/**
 * Test-only helpers that act like a browser (a cookie jar over fetch) and like the companion
 * phone (the V3 API called directly), against a real server from startAppServer.
 */
import { APP_ID_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import { SIGN_IN_ASK_ACCOUNT } from "@/lib/qr-login/client/flow/sign-in-errors";
import { testApp } from "@/test-support/app-server";

export type SetCookie = { name: string; value: string; attributes: Record<string, string | true> };

export function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...rest] = header.split(";");
  const separator = pair.indexOf("=");
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key = "", ...value] = part.trim().split("=");
    attributes[key.toLowerCase()] = value.length ? value.join("=") : true;
  }
  return { name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim(), attributes };
}

/** A browser: remembers cookies (ignoring paths other than / and its own), follows no redirects. */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  readonly userAgent: string;

  constructor(
    readonly origin: string,
    userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  ) {
    this.userAgent = userAgent;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", this.cookieHeader());
    headers.set("user-agent", this.userAgent);
    const response = await fetch(`${this.origin}${path}`, { ...init, headers, redirect: "manual" });
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      const expired = cookie.attributes["max-age"] === "0" || cookie.value === "";
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  async json<T = unknown>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; response: Response }> {
    const response = await this.fetch(path, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, response };
  }

  /**
   * next-auth's credentials sign-in, as signIn("qrcode", { redirect: false }) sends it. A code
   * whose account is not the one this browser last signed in with (its first sign-in, too) is
   * held until the person at the browser continues: unless `continueHeld` is false, this taps
   * "Continue" as they would, and answers that second response.
   */
  async signInWithQrCode(qrcodeId: string, { continueHeld = true }: { continueHeld?: boolean } = {}): Promise<Response> {
    const response = await this.postQrSignIn({ qrcodeId });
    if (!continueHeld || !(await isHeldForAccount(response.clone()))) return response;
    return this.postQrSignIn({ qrcodeId, account: "continue" });
  }

  /** The sign-in's post itself, with these fields (`account: "continue"` is the tap). */
  async postQrSignIn(fields: Record<string, string>): Promise<Response> {
    const { body } = await this.json<{ csrfToken: string }>("/api/auth/csrf");
    return this.fetch("/api/auth/callback/qrcode", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: body.csrfToken, callbackUrl: `${this.origin}/`, json: "true", ...fields }),
    });
  }

  /** next-auth's signOut({ redirect: false }), as the sign-out button sends it. */
  async signOut(): Promise<Response> {
    const { body } = await this.json<{ csrfToken: string }>("/api/auth/csrf");
    return this.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: body.csrfToken, callbackUrl: `${this.origin}/`, json: "true" }),
    });
  }

  async session(): Promise<Record<string, unknown>> {
    return (await this.json<Record<string, unknown>>("/api/auth/session")).body;
  }
}

/** NextAuth's answer to a sign-in the server holds for the browser's tap (lib/qr-login/client/flow/account-check.ts). */
export async function isHeldForAccount(response: Response): Promise<boolean> {
  const { url } = (await response.json().catch(() => ({}))) as { url?: string };
  return url !== undefined && new URL(url, "http://localhost").searchParams.get("error") === SIGN_IN_ASK_ACCOUNT;
}

type Envelope<T> = { statusCode: number; message: string; apiCode?: number; data: T };

/** The companion phone, talking V3 to the provider directly (as a native app would). */
export class TestPhone {
  accessToken = "";

  constructor(readonly origin: string) {}

  private async v3<T>(path: string, body: unknown, extra: Record<string, string> = {}): Promise<Envelope<T>> {
    const response = await fetch(`${this.origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", [APP_ID_HEADER]: testApp.id, ...extra },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Envelope<T>;
  }

  async signIn(username = "alice", password = "scan-me-in"): Promise<void> {
    const answer = await this.v3<{ access_token: string }>("/api/v3/signin", {
      connection: "PASSWORD",
      passwordPayload: { username, password },
      client_id: testApp.id,
      client_secret: testApp.secret,
    });
    if (answer.statusCode !== 200) throw new Error(`phone sign-in failed: ${answer.message}`);
    this.accessToken = answer.data.access_token;
  }

  setStatus(qrcodeId: string, action: "SCAN" | "CONFIRM" | "CANCEL") {
    return this.v3<{ success: boolean }>("/api/v3/set-qrcode-status", { qrcodeId, action }, { authorization: this.accessToken });
  }

  async approve(qrcodeId: string): Promise<void> {
    for (const action of ["SCAN", "CONFIRM"] as const) {
      const answer = await this.setStatus(qrcodeId, action);
      if (answer.statusCode !== 200) throw new Error(`${action} failed: ${answer.message}`);
    }
  }
}
