import { SignOutButton } from "@/components/sign-out-button";
import { getServerSession } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const session = await getServerSession();

  if (session.state === "signed-in") {
    const { user } = session;
    return (
      <main className="page">
        <section className="card">
          <div className="identity">
            {user.image ? <img className="avatar avatar-large" src={user.image} alt={`Photo of ${user.name ?? "you"}`} width={72} height={72} /> : null}
            <div>
              <p className="signed-in-as">
                Signed in as <strong className="identity-name">{user.name ?? user.email ?? user.sub}</strong>
              </p>
              {user.email ? <p className="muted small">{user.email}</p> : null}
            </div>
          </div>
          <div className="actions">
            <a className="button button-primary" href="/account">
              Account details
            </a>
            <SignOutButton />
          </div>
        </section>
      </main>
    );
  }

  return (
    <main className="page">
      <section className="card hero">
        <h1 className="card-title">Scan to sign in</h1>
        <p className="muted card-lead">
          {session.state === "expired"
            ? "Your session has ended. Sign in again with your phone."
            : "No password on this computer: scan a QR code with the companion app on your phone, confirm there, and you're in."}
        </p>
        <a className="button button-primary" href="/login">
          Sign in with a QR code
        </a>
        <p className="muted small">
          On your phone, open <code>/m</code> on this site to get the companion app.
        </p>
      </section>
    </main>
  );
}
