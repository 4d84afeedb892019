import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";

import { getConfig } from "@/lib/config";
import { getMessages } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getMessages();
  return { title: t.companion.appName };
}

/** The companion "phone app": a phone-sized column, whatever the screen. */
export default async function CompanionLayout({ children }: { children: ReactNode }) {
  // The proxy already answers 404 against real Authing; this holds should a path slip past it.
  if (!getConfig().provider.embedded) notFound();
  const { t } = await getMessages();
  return (
    <div className="phone-shell">
      <div className="phone">
        <header className="phone-header">
          <span className="app-mark" aria-hidden="true">◱</span>
          <span>{t.companion.appName}</span>
        </header>
        <main className="phone-main">{children}</main>
      </div>
    </div>
  );
}
