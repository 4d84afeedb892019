import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";

import { SignOutButton } from "@/components/sign-out-button";
import { getServerSession } from "@/lib/auth/session";
import { AuthingClientError, getAuthingClient } from "@/lib/authing/client";
import type { UserInfo } from "@/lib/authing/schemas";
import { getMessages } from "@/lib/i18n/server";

function display(value: unknown): string {
  if (value === null || value === undefined) return "—";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > 96 ? `${text.slice(0, 96)}…` : text;
}

const timeClaims = new Set(["iat", "exp", "auth_time", "updated_at"]);

function ClaimsTable({ claims, labelledBy }: { claims: Record<string, unknown>; labelledBy: string }) {
  return (
    <table className="claims" aria-labelledby={labelledBy}>
      <tbody>
        {Object.entries(claims).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td title={typeof value === "string" ? value : undefined}>
              {name === "picture" && typeof value === "string" ? (
                // eslint-disable-next-line @next/next/no-img-element -- provider-served, shown at its own size; next/image's inline style would break the nonce CSP
                <img className="avatar" src={value} alt="" width={40} height={40} />
              ) : null}
              {display(value)}
              {timeClaims.has(name) && typeof value === "number" ? (
                <span className="muted small"> ({new Date(value * 1000).toISOString()})</span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Protected: the id_token's claims, and the profile the provider gives for the access token. */
export default function AccountPage() {
  return (
    <Suspense fallback={<main className="page" aria-busy="true" />}>
      <Account />
    </Suspense>
  );
}

/** The session is this request's, and so is the redirect of a visitor without one. */
async function Account() {
  const session = await getServerSession();
  if (session.state !== "signed-in") redirect("/login?callbackUrl=%2Faccount");
  const { token, user } = session;
  const { t } = await getMessages();

  let profile: UserInfo | undefined;
  let profileError: string | undefined;
  try {
    profile = await getAuthingClient().getUserInfo(token.accessToken!);
  } catch (error) {
    if (!(error instanceof AuthingClientError)) throw error;
    profileError = t.account.profileUnavailable;
  }

  return (
    <main className="page">
      <section className="card wide-card">
        <h1 className="card-title">{t.account.title}</h1>
        <p className="muted">{t.account.signedInAs(user.name ?? user.email ?? user.sub)}</p>
        <h2 className="section-title" id="profile-title">
          {t.account.profile}
        </h2>
        {profile ? <ClaimsTable claims={profile} labelledBy="profile-title" /> : <p className="notice">{profileError}</p>}
        <h2 className="section-title" id="claims-title">
          {t.account.claims}
        </h2>
        <ClaimsTable claims={token.idTokenClaims ?? {}} labelledBy="claims-title" />
        <div className="actions">
          <Link className="button button-secondary" href="/">
            {t.account.home}
          </Link>
          <SignOutButton label={t.home.signOut} failedMessage={t.home.signOutFailed} />
        </div>
      </section>
    </main>
  );
}
