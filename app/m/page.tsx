import { SignInForm } from "@/app/m/sign-in-form";
import { signOutAction } from "@/app/m/actions";
import { getConfig } from "@/lib/config";
import { demoUsers, demoPassword } from "@/lib/provider/demo-users";
import { companionProfile, readCompanionToken } from "@/lib/qr-login/companion";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function CompanionHomePage({ searchParams }: Props) {
  const { next } = await searchParams;
  const nextPath = typeof next === "string" && next.startsWith("/m/scan/") ? next : undefined;
  const profile = (await readCompanionToken()) ? await companionProfile() : undefined;

  if (profile?.ok) {
    const user = profile.value;
    const displayName = user.nickname ?? user.username ?? user.email ?? "you";
    return (
      <section className="phone-card">
        <div className="identity">
          {user.photo ? <img className="avatar" src={user.photo} alt="" width={56} height={56} /> : null}
          <div>
            <p className="muted small">This phone is signed in as</p>
            <p className="identity-name">{displayName}</p>
          </div>
        </div>
        <h1 className="phone-title">Ready to scan</h1>
        <p>
          Point your phone&apos;s camera at the QR code on the sign-in page and open the link. You will be asked to
          confirm before anything is signed in.
        </p>
        <form action={signOutAction}>
          <button type="submit" className="button button-secondary button-block">
            Sign out
          </button>
        </form>
      </section>
    );
  }

  const config = getConfig();
  const showDemo = config.provider.embedded && config.seedDemoUsers;
  return (
    <section className="phone-card">
      <h1 className="phone-title">Sign in</h1>
      <p className="muted">
        {nextPath ? "Sign in on this phone first; then you will confirm the other device." : "Sign in once on this phone; then scan codes to sign in elsewhere."}
      </p>
      {profile && !profile.ok && profile.problem !== "sign-in-required" ? <p className="notice">{profile.message}</p> : null}
      <SignInForm next={nextPath} />
      {showDemo ? (
        <aside className="demo-accounts" aria-label="Demo accounts">
          <p className="small">
            Demo accounts (password <code>{demoPassword}</code>):
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
