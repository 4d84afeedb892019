import { connection } from "next/server";
import { Suspense } from "react";

import { SignInForm } from "@/app/m/sign-in-form";
import { signOutAction } from "@/app/m/actions";
import { getConfig } from "@/lib/config";
import { getMessages } from "@/lib/i18n/server";
import { demoUsers, demoPassword } from "@/lib/provider/demo-users";
import { companionProfile, readCompanionToken } from "@/lib/provider/companion";

type Props = { searchParams: Promise<{ next?: string | string[]; signOut?: string | string[] }> };

export default function CompanionHomePage({ searchParams }: Props) {
  return (
    <Suspense fallback={<section className="phone-card" aria-busy="true" />}>
      <CompanionHome searchParams={searchParams} />
    </Suspense>
  );
}

/**
 * Per request, inside the page's <Suspense>: the URL, the phone's cookie, and the provider's
 * answer about it (a call that carries a request id of its own, made only after connection()).
 */
async function CompanionHome({ searchParams }: Props) {
  await connection();
  const { next, signOut } = await searchParams;
  const nextPath = typeof next === "string" && next.startsWith("/m/scan/") ? next : undefined;
  const profile = (await readCompanionToken()) ? await companionProfile() : undefined;
  const { t } = await getMessages();
  // The phone's sign-out could not be recorded at the provider: it is still signed in (its cookie
  // kept), whatever else this page can show while the service is away.
  const signOutFailed = signOut === "failed" ? (
    <p className="notice" role="alert">
      {t.companion.signOutFailed}
    </p>
  ) : null;

  if (profile?.ok) {
    const user = profile.value;
    const displayName = user.nickname ?? user.username ?? user.email ?? "you";
    return (
      <section className="phone-card">
        <div className="identity">
          {/* eslint-disable-next-line @next/next/no-img-element -- provider-served, shown at its own size; next/image's inline style would break the nonce CSP */}
          {user.photo ? <img className="avatar" src={user.photo} alt="" width={56} height={56} /> : null}
          <div>
            <p className="muted small">{t.companion.signedInAs}</p>
            <p className="identity-name">{displayName}</p>
          </div>
        </div>
        <h1 className="phone-title">{t.companion.readyTitle}</h1>
        <p>{t.companion.readyText}</p>
        <a href="/m/scan-code" className="button button-primary button-block">
          {t.scanCode.scanCode}
        </a>
        {signOutFailed}
        <form action={signOutAction}>
          <button type="submit" className="button button-secondary button-block">
            {t.companion.signOut}
          </button>
        </form>
      </section>
    );
  }

  const config = getConfig();
  const showDemo = config.provider.embedded && config.seedDemoUsers;
  return (
    <section className="phone-card">
      <h1 className="phone-title">{t.companion.signInTitle}</h1>
      <p className="muted">{nextPath ? t.companion.signInFirst : t.companion.signInOnce}</p>
      {signOutFailed ??
        (profile && !profile.ok && profile.problem !== "sign-in-required" ? (
          <p className="notice">{t.companion.problems[profile.problem]}</p>
        ) : null)}
      <SignInForm next={nextPath} />
      {showDemo ? (
        <aside className="demo-accounts" aria-label={t.companion.demoAccounts}>
          <p className="small">
            {t.companion.demoPassword} <code>{demoPassword}</code>):
          </p>
          <ul>
            {demoUsers.map((user) => (
              <li key={user.username}>
                <code>{user.username}</code> <span className="muted">{user.nickname}</span>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </section>
  );
}
