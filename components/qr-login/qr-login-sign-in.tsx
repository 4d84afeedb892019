import "server-only";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { QrLogin, type QrLoginProps } from "@/components/qr-login/qr-login";
import { getServerSession } from "@/lib/qr-login/client/auth/session";
import { BINDING_COOKIE_NAME, currentQrCode } from "@/lib/qr-login/client/flow/browser-qr-login";
import { safeCallbackPath } from "@/lib/qr-login/client/flow/callback-url";
import { QR_CODE_PROBLEM_HEADER } from "@/lib/qr-login/client/login-visit";
import { getQrLoginSettings } from "@/lib/qr-login/client/qr-login-settings";

export type QrLoginSignInProps = Omit<QrLoginProps, "settings" | "initialQrCode" | "initialProblem" | "callbackUrl"> & {
  /** The page's `searchParams`: its `callbackUrl` is where a sign-in goes (a path on this site). */
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
  /** Shown above the code when the visitor's session has ended. */
  sessionEndedNotice?: ReactNode;
};

/**
 * The sign-in page's content, rendered per request: a signed-in visitor goes on to the callback,
 * anyone else sees the code the proxy made for this visit. Place it inside <Suspense> (Cache
 * Components prerender everything outside one; this reads the request and the configuration).
 */
export async function QrLoginSignIn({ searchParams, sessionEndedNotice, ...props }: QrLoginSignInProps) {
  await connection();
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  const session = await getServerSession();
  if (session.state === "signed-in") redirect(callbackUrl);

  // The proxy made a fresh code for this visit and put it first in the binding cookie.
  const problem = (await headers()).get(QR_CODE_PROBLEM_HEADER);
  const initialProblem = problem === "rate-limited" || problem === "unavailable" ? problem : null;
  const qrCode = initialProblem ? null : (currentQrCode((await cookies()).get(BINDING_COOKIE_NAME)?.value) ?? null);

  return (
    <>
      {session.state === "expired" ? sessionEndedNotice : null}
      <QrLogin {...props} initialQrCode={qrCode} initialProblem={initialProblem} settings={getQrLoginSettings()} callbackUrl={callbackUrl} />
    </>
  );
}
