"use client";

import { useLocale } from "@/lib/qr-login/client/i18n/locale-context";
import { dictionaries, LOCALE_COOKIE_NAME, locales, type Locale } from "@/lib/qr-login/client/i18n/messages";

/** Remembers the choice for a year in a cookie the server reads; then shows the page again in it. */
function switchLanguage(next: Locale): void {
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${LOCALE_COOKIE_NAME}=${next}; path=/; max-age=31536000; samesite=lax${secure}`;
  window.location.reload();
}

export function LanguageSwitcher() {
  const locale = useLocale();
  return (
    <nav
      className="fixed top-2 right-2 z-10 flex gap-0.5 rounded-full border bg-card p-0.5 shadow-sm"
      aria-label={`${dictionaries.en.switchLanguage} / ${dictionaries["zh-CN"].switchLanguage}`}>
      {locales.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="min-h-7 cursor-pointer rounded-full px-2.5 text-[0.8125rem] text-foreground outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-pressed:bg-primary aria-pressed:font-semibold aria-pressed:text-primary-foreground"
          aria-pressed={option === locale}
          onClick={() => option !== locale && switchLanguage(option)}
        >
          {dictionaries[option].languageName}
        </button>
      ))}
    </nav>
  );
}
