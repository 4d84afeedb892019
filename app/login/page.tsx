import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";

import { QrLogin } from "@/components/qr-login/qr-login";
import { getServerSession } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";
import { BINDING_COOKIE_NAME, currentQrCode } from "@/lib/qr-login/browser-qr-login";
import { safeCallbackPath } from "@/lib/qr-login/callback-url";
import { QR_CODE_PROBLEM_HEADER } from "@/lib/qr-login/login-visit";
import { getQrLoginSettings } from "@/lib/qr-login/qr-login-settings";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  const session = await getServerSession();
  if (session.state === "signed-in") redirect(callbackUrl);
  const { locale, t } = await getMessages();

  // The proxy made a fresh code for this visit and put it first in the binding cookie.
  const problem = (await headers()).get(QR_CODE_PROBLEM_HEADER);
  const initialProblem = problem === "rate-limited" || problem === "unavailable" ? problem : null;
  const qrCode = initialProblem ? null : (currentQrCode((await cookies()).get(BINDING_COOKIE_NAME)?.value) ?? null);

  return (
    <main className="page">
      <section className="card login-card">
        <h1 className="card-title">{t.login.title}</h1>
        <p className="muted card-lead">{t.login.lead}</p>
        {session.state === "expired" ? <p className="notice">{t.login.sessionEnded}</p> : null}
        <QrLogin
          locale={locale}
          initialQrCode={qrCode}
          initialProblem={initialProblem}
          settings={getQrLoginSettings()}
          callbackUrl={callbackUrl}
        />
      </section>
    </main>
  );
}
