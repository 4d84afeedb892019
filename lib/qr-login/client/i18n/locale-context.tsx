"use client";

import { createContext, useContext, type ReactNode } from "react";

import { defaultLocale, dictionaries, type Locale, type Messages } from "@/lib/qr-login/client/i18n/messages";

const LocaleContext = createContext<Locale>(defaultLocale);

/** Client components read the page's locale from here; only the locale crosses to the client. */
export function LocaleProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

/** The messages of the page's locale; English where no provider is mounted (a drop-in <QrLogin>). */
export function useMessages(): Messages {
  return dictionaries[useContext(LocaleContext)];
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}
