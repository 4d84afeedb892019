import { Suspense } from "react";

import { QrLoginSignIn } from "@/components/qr-login/qr-login-sign-in";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default function LoginPage({ searchParams }: Props) {
  return (
    <main className="flex min-h-svh items-center justify-center bg-muted/40 px-4 py-8">
      <Card className="w-full max-w-md text-center">
        <CardHeader>
          <h1 className="text-2xl font-semibold tracking-tight">Sign in with your phone</h1>
          <CardDescription>Scan the code with your phone app, then confirm on the phone.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col items-center gap-4">
          <Suspense fallback={<p className="text-sm text-muted-foreground">Preparing your sign-in code…</p>}>
            <QrLoginSignIn
              searchParams={searchParams}
              sessionEndedNotice={
                <Alert role="status">
                  <AlertDescription>Your session has ended. Please sign in again.</AlertDescription>
                </Alert>
              }
            />
          </Suspense>
        </CardContent>
      </Card>
    </main>
  );
}
