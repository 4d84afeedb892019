import { Suspense } from "react";

import { SignOutButton } from "@/components/sign-out-button";
import { getServerSession } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";

export default function HomePage() {
  return (
    <Suspense fallback={<main className="page" aria-busy="true" />}>
      <Home />
    </Suspense>
  );
}

/** Who is signed in is this request's: read per request, inside the page's <Suspense>. */
async function Home() {
  const session = await getServerSession();
  const { t } = await getMessages();

  if (session.state === "signed-in") {
    const { user } = session;
    return (
      <main className="page">
        <section className="card">
          <div className="identity">
            {/* eslint-disable-next-line @next/next/no-img-element -- provider-served, shown at its own size; next/image's inline style would break the nonce CSP */}
            {user.image ? <img className="avatar avatar-large" src={user.image} alt={t.home.photoOf(user.name ?? t.home.you)} width={72} height={72} /> : null}
            <div>
              <p className="signed-in-as">
                {`${t.home.signedInAs} `}
                <strong className="identity-name">{user.name ?? user.email ?? user.sub}</strong>
              </p>
              {user.email ? <p className="muted small">{user.email}</p> : null}
            </div>
          </div>
          <div className="actions">
            <a className="button button-primary" href="/account">
              {t.home.accountDetails}
            </a>
            <SignOutButton label={t.home.signOut} failedMessage={t.home.signOutFailed} />
          </div>
        </section>
      </main>
    );
  }

  return (
    <main className="page">
      <section className="card hero">
        <h1 className="card-title">{t.home.title}</h1>
        <p className="muted card-lead">
          {session.state === "expired" ? t.home.sessionEnded : t.home.lead}
        </p>
        <a className="button button-primary" href="/login">
          {t.home.signIn}
        </a>
        <p className="muted small">
          {t.home.companionHint[0]}
          <code>/m</code>
          {t.home.companionHint[1]}
        </p>
      </section>
    </main>
  );
}
