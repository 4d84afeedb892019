import { Suspense } from "react";

import { QrLoginSignIn } from "@/components/qr-login/qr-login-sign-in";

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default function LoginPage({ searchParams }: Props) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 p-8">
      <h1 className="text-2xl font-semibold">Sign in with your phone</h1>
      <Suspense fallback={<p>Preparing your sign-in code…</p>}>
        <QrLoginSignIn searchParams={searchParams} sessionEndedNotice={<p role="status">Your session has ended. Please sign in again.</p>} />
      </Suspense>
    </main>
  );
}
