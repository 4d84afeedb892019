import { connection } from "next/server";
import { Suspense } from "react";

import { PasskeyManager } from "@/app/(provider)/m/passkey-manager";
import { SignInForm } from "@/app/(provider)/m/sign-in-form";
import { signOutAction } from "@/app/(provider)/m/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getConfig } from "@/lib/qr-login/platform/config";
import { getMessages } from "@/lib/qr-login/client/i18n/server";
import { demoUsers, demoPassword } from "@/lib/qr-login/provider/demo-users";
import { companionProfile, readCompanionToken } from "@/lib/qr-login/companion/companion";
import { companionPasskeys, passkeysHere } from "@/lib/qr-login/companion/passkeys";

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
    <Alert variant="destructive">
      <AlertDescription>{t.companion.signOutFailed}</AlertDescription>
    </Alert>
  ) : null;

  if (profile?.ok) {
    const user = profile.value;
    // Where browsers cannot use passkeys (plain http off localhost, an IP address) nothing of them shows.
    const passkeys = (await passkeysHere()) ? await companionPasskeys() : undefined;
    const displayName = user.nickname ?? user.username ?? user.email ?? "you";
    return (
      <Card className="gap-4 px-5">
        <div className="flex items-center gap-4">
          <Avatar className="size-14">
            {user.photo ? <AvatarImage src={user.photo} alt="" width={56} height={56} /> : null}
            <AvatarFallback className="text-xl" aria-hidden="true">
              {Array.from(displayName)[0]?.toUpperCase()}
            </AvatarFallback>
          </Avatar>
          <div className="min-w-0">
            <p className="text-sm text-muted-foreground">{t.companion.signedInAs}</p>
            <p className="truncate text-xl font-semibold">{displayName}</p>
          </div>
        </div>
        <h1 className="text-2xl font-semibold tracking-tight">{t.companion.readyTitle}</h1>
        <p>{t.companion.readyText}</p>
        <a className={buttonVariants({ size: "lg", className: "h-11 w-full" })} href="/m/scan-code">
          {t.scanCode.scanCode}
        </a>
        {passkeys?.ok ? <PasskeyManager initial={passkeys.value} /> : null}
        {signOutFailed}
        <form action={signOutAction}>
          <Button type="submit" variant="outline" size="lg" className="h-11 w-full">
            {t.companion.signOut}
          </Button>
        </form>
      </Card>
    );
  }

  const config = getConfig();
  const showDemo = config.provider.embedded && config.seedDemoUsers;
  return (
    <Card className="gap-4 px-5">
      <h1 className="text-2xl font-semibold tracking-tight">{t.companion.signInTitle}</h1>
      <p className="text-muted-foreground">{nextPath ? t.companion.signInFirst : t.companion.signInOnce}</p>
      {signOutFailed ??
        (profile && !profile.ok && profile.problem !== "sign-in-required" ? (
          <Alert>
            <AlertDescription>{t.companion.problems[profile.problem]}</AlertDescription>
          </Alert>
        ) : null)}
      <SignInForm next={nextPath} passkeys={await passkeysHere()} />
      {showDemo ? (
        <aside className="border-t border-dashed pt-3 text-sm" aria-label={t.companion.demoAccounts}>
          <p>
            {t.companion.demoPassword} <code className="rounded bg-muted px-1 py-0.5 font-mono">{demoPassword}</code>):
          </p>
          <ul className="mt-1.5 list-disc pl-5">
            {demoUsers.map((user) => (
              <li key={user.username}>
                <code className="rounded bg-muted px-1 py-0.5 font-mono">{user.username}</code> <span className="text-muted-foreground">{user.nickname}</span>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </Card>
  );
}
