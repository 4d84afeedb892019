import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";

import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { QrLoginDemo } from "@/app/(demo)/examples/qr-login/qr-login-demo";
import { getQrLoginSettings } from "@/lib/qr-login/client/qr-login-settings";

export const metadata: Metadata = { title: "<QrLogin> on a page of your own" };

/** `<QrLogin>` outside /login: no code in the first HTML, custom tips and size, every callback shown. */
export default function QrLoginExamplePage() {
  return (
    <main className="flex min-h-svh items-center justify-center bg-muted/40 px-4 py-8">
      <Card className="w-full max-w-3xl">
        <CardHeader>
          <h1 className="text-2xl font-semibold tracking-tight">&lt;QrLogin&gt; on a page of your own</h1>
          <CardDescription>The component, its callbacks and custom tips, in a layout that is not the login page.</CardDescription>
        </CardHeader>
        <CardContent>
          <Suspense>
            <Demo />
          </Suspense>
        </CardContent>
      </Card>
    </main>
  );
}

/** The settings are this deployment's, read when a visitor asks, never when the app is built. */
async function Demo() {
  await connection();
  return <QrLoginDemo settings={getQrLoginSettings()} />;
}
