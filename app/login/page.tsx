import { Suspense } from "react";

import { QrLoginSignIn } from "@/components/qr-login/qr-login-sign-in";
import { getMessages } from "@/lib/i18n/server";

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default function LoginPage({ searchParams }: Props) {
  return (
    <main className="page">
      <section className="card login-card">
        <Suspense fallback={<div aria-busy="true" />}>
          <LocalizedSignIn searchParams={searchParams} />
        </Suspense>
      </section>
    </main>
  );
}

async function LocalizedSignIn({ searchParams }: Props) {
  const { locale, t } = await getMessages();
  return (
    <>
      <h1 className="card-title">{t.login.title}</h1>
      <p className="muted card-lead">{t.login.lead}</p>
      <QrLoginSignIn searchParams={searchParams} locale={locale} sessionEndedNotice={<p className="notice">{t.login.sessionEnded}</p>} />
    </>
  );
}
