import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";

import { SignOutButton } from "@/components/demo/sign-out-button";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Avatar, AvatarImage } from "@/components/ui/avatar";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { getServerSession } from "@/lib/qr-login/client/auth/session";
import { AuthingClientError, getAuthingClient } from "@/lib/qr-login/client/authing/client";
import type { UserInfo } from "@/lib/qr-login/client/authing/schemas";
import { getMessages } from "@/lib/qr-login/client/i18n/server";

function display(value: unknown): string {
  if (value === null || value === undefined) return "—";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > 96 ? `${text.slice(0, 96)}…` : text;
}

const timeClaims = new Set(["iat", "exp", "auth_time", "updated_at"]);

function ClaimsTable({ claims, labelledBy }: { claims: Record<string, unknown>; labelledBy: string }) {
  return (
    <table className="w-full border-collapse text-sm" aria-labelledby={labelledBy}>
      <tbody>
        {Object.entries(claims).map(([name, value]) => (
          <tr key={name} className="border-b last:border-b-0">
            <th scope="row" className="w-[30%] px-2 py-1.5 text-left align-top font-mono font-semibold">
              {name}
            </th>
            <td className="px-2 py-1.5 align-top break-all" title={typeof value === "string" ? value : undefined}>
              {name === "picture" && typeof value === "string" ? (
                <Avatar className="mb-1 size-10">
                  <AvatarImage src={value} alt="" width={40} height={40} />
                </Avatar>
              ) : null}
              {display(value)}
              {timeClaims.has(name) && typeof value === "number" ? (
                <span className="text-muted-foreground"> ({new Date(value * 1000).toISOString()})</span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Protected: the id_token's claims, and the profile the provider gives for the access token. The
 * proxy sends a visitor without a session to the sign-in page (a 307, before anything renders);
 * the redirect here is the second line, for a session that ends in between.
 */
export default function AccountPage() {
  return (
    <Suspense fallback={<main className="min-h-svh" aria-busy="true" />}>
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
    <main className="flex min-h-svh items-center justify-center bg-muted/40 px-4 py-8">
      <Card className="w-full max-w-3xl">
        <CardHeader>
          <h1 className="text-2xl font-semibold tracking-tight">{t.account.title}</h1>
          <CardDescription>{t.account.signedInAs(user.name ?? user.email ?? user.sub)}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <h2 className="font-semibold" id="profile-title">
            {t.account.profile}
          </h2>
          {profile ? (
            <ClaimsTable claims={profile} labelledBy="profile-title" />
          ) : (
            <Alert>
              <AlertDescription>{profileError}</AlertDescription>
            </Alert>
          )}
          <h2 className="mt-2 font-semibold" id="claims-title">
            {t.account.claims}
          </h2>
          <ClaimsTable claims={token.idTokenClaims ?? {}} labelledBy="claims-title" />
        </CardContent>
        <CardFooter className="flex-wrap gap-3">
          <Link className={buttonVariants({ variant: "outline", size: "lg" })} href="/">
            {t.account.home}
          </Link>
          <SignOutButton label={t.home.signOut} failedMessage={t.home.signOutFailed} />
        </CardFooter>
      </Card>
    </main>
  );
}
