import { Suspense } from "react";

import { SignOutButton } from "@/components/demo/sign-out-button";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { getServerSession } from "@/lib/qr-login/client/auth/session";
import { getMessages } from "@/lib/qr-login/client/i18n/server";

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
    const name = user.name ?? user.email ?? user.sub;
    return (
      <main className="flex min-h-svh items-center justify-center bg-muted/40 px-4 py-8">
        <Card className="w-full max-w-md">
          <CardContent className="flex items-center gap-4">
            {user.image ? (
              <Avatar className="size-18">
                <AvatarImage src={user.image} alt={t.home.photoOf(user.name ?? t.home.you)} width={72} height={72} />
                <AvatarFallback className="text-2xl" aria-hidden="true">
                  {Array.from(name)[0]?.toUpperCase()}
                </AvatarFallback>
              </Avatar>
            ) : null}
            <div className="min-w-0">
              <p className="text-muted-foreground">
                {`${t.home.signedInAs} `}
                <strong className="block text-xl font-semibold text-foreground">{name}</strong>
              </p>
              {user.email ? <p className="text-sm text-muted-foreground">{user.email}</p> : null}
            </div>
          </CardContent>
          <CardFooter className="flex-wrap gap-3">
            <a className={buttonVariants({ size: "lg" })} href="/account">
              {t.home.accountDetails}
            </a>
            <SignOutButton label={t.home.signOut} failedMessage={t.home.signOutFailed} />
          </CardFooter>
        </Card>
      </main>
    );
  }

  return (
    <main className="flex min-h-svh items-center justify-center bg-muted/40 px-4 py-8">
      <Card className="w-full max-w-md text-center">
        <CardHeader>
          <h1 className="text-2xl font-semibold tracking-tight">{t.home.title}</h1>
          <CardDescription>{session.state === "expired" ? t.home.sessionEnded : t.home.lead}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col items-center gap-4">
          <a className={buttonVariants({ size: "lg" })} href="/login">
            {t.home.signIn}
          </a>
          <p className="text-sm text-muted-foreground">
            {t.home.companionHint[0]}
            <code className="rounded bg-muted px-1 py-0.5 font-mono text-foreground">/m</code>
            {t.home.companionHint[1]}
          </p>
        </CardContent>
      </Card>
    </main>
  );
}
