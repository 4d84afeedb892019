import "server-only";

import { cookies, headers } from "next/headers";

import { dictionaries, isLocale, LOCALE_COOKIE_NAME, localeFromAcceptLanguage, type Locale, type Messages } from "@/lib/qr-login/client/i18n/messages";

/** The switcher's choice (cookie) first, then the browser's Accept-Language. */
export async function getLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE_NAME)?.value;
  if (isLocale(chosen)) return chosen;
  return localeFromAcceptLanguage((await headers()).get("accept-language"));
}

export async function getMessages(): Promise<{ locale: Locale; t: Messages }> {
  const locale = await getLocale();
  return { locale, t: dictionaries[locale] };
}
