import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";

import { QrLoginDemo } from "@/app/examples/qr-login/qr-login-demo";
import { getQrLoginSettings } from "@/lib/qr-login/qr-login-settings";

export const metadata: Metadata = { title: "<QrLogin> on a page of your own" };

/** `<QrLogin>` outside /login: no code in the first HTML, custom tips and size, every callback shown. */
export default function QrLoginExamplePage() {
  return (
    <main className="page">
      <section className="card wide-card example-card">
        <h1 className="card-title">&lt;QrLogin&gt; on a page of your own</h1>
        <p className="muted card-lead">The component, its callbacks and custom tips, in a layout that is not the login page.</p>
        <Suspense>
          <Demo />
        </Suspense>
      </section>
    </main>
  );
}

/** The settings are this deployment's, read when a visitor asks, never when the app is built. */
async function Demo() {
  await connection();
  return <QrLoginDemo settings={getQrLoginSettings()} />;
}
