import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense, type ReactNode } from "react";

import { getConfig } from "@/lib/qr-login/platform/config";
import { getMessages } from "@/lib/qr-login/client/i18n/server";
import { requireCompanionSwitchedOn } from "@/lib/qr-login/companion/companion";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getMessages();
  return { title: t.companion.appName };
}

/**
 * The companion "phone app": a phone-sized column, whatever the screen. Everything in it renders
 * per request, inside <Suspense> (an app with Cache Components prerenders only what is outside).
 */
export default function CompanionLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-svh justify-center bg-muted">
      <div className="flex min-h-svh w-full max-w-md flex-col bg-background">
        <Suspense>
          <CompanionFrame>{children}</CompanionFrame>
        </Suspense>
      </div>
    </div>
  );
}

async function CompanionFrame({ children }: { children: ReactNode }) {
  await connection();
  // The proxy already answers 404 against real Authing; this holds should a path slip past it.
  requireCompanionSwitchedOn();
  const { t } = await getMessages();
  // The demo's own mark, with its demo accounts: a host's production shows its pages bare.
  const demo = getConfig().seedDemoUsers;
  return (
    <>
      {demo ? (
        <header className="flex items-center gap-2 bg-primary px-5 py-3.5 font-semibold text-primary-foreground">
          <span className="text-xl leading-none" aria-hidden="true">
            ◱
          </span>
          <span>{t.companion.appName}</span>
        </header>
      ) : null}
      <main className="px-4 pt-5 pb-8">{children}</main>
    </>
  );
}
