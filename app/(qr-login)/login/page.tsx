import { Suspense } from "react";

import { QrLoginSignIn } from "@/components/qr-login/qr-login-sign-in";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getMessages } from "@/lib/qr-login/client/i18n/server";

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default function LoginPage({ searchParams }: Props) {
  return (
    <main className="flex min-h-svh items-center justify-center bg-muted/40 px-4 py-8">
      <Card className="w-full max-w-md text-center">
        <Suspense fallback={<div aria-busy="true" />}>
          <LocalizedSignIn searchParams={searchParams} />
        </Suspense>
      </Card>
    </main>
  );
}

async function LocalizedSignIn({ searchParams }: Props) {
  const { locale, t } = await getMessages();
  return (
    <>
      <CardHeader>
        <h1 className="text-2xl font-semibold tracking-tight">{t.login.title}</h1>
        <CardDescription>{t.login.lead}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col items-center gap-4">
        <QrLoginSignIn
          searchParams={searchParams}
          locale={locale}
          sessionEndedNotice={
            <Alert>
              <AlertDescription>{t.login.sessionEnded}</AlertDescription>
            </Alert>
          }
        />
      </CardContent>
    </>
  );
}
