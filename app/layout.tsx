import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { LanguageSwitcher } from "@/components/demo/language-switcher";
import { LocaleProvider } from "@/lib/qr-login/client/i18n/locale-context";
import { getLocale, getMessages } from "@/lib/qr-login/client/i18n/server";

import "./globals.css";

const icons: Metadata["icons"] = {
  icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23215ae5'/%3E%3Cpath d='M3 3h4v4H3zM9 3h4v4H9zM3 9h4v4H3zM10 10h3v3h-3z' fill='white'/%3E%3C/svg%3E",
};

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getMessages();
  return { title: t.meta.title, description: t.meta.description, icons };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page of this app renders per request, on purpose: its scripts carry this request's CSP
// nonce, which a prerendered shell cannot (Next's CSP guide), and <html lang> is the reader's
// language. So the root layout blocks rather than prerendering a shell. The pages themselves still
// read the request only inside <Suspense>, as they must in a host whose root layout is static.
export const instant = false;

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>
        <LocaleProvider locale={locale}>
          {children}
          <LanguageSwitcher />
        </LocaleProvider>
      </body>
    </html>
  );
}
