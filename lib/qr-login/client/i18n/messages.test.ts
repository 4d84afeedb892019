import { describe, expect, it } from "vitest";

import { defaultLocale, dictionaries, isLocale, localeFromAcceptLanguage, locales } from "@/lib/qr-login/client/i18n/messages";
import type { CompanionProblem } from "@/lib/qr-login/companion/companion";

/** What the companion's server actions can answer besides a code's problems. */
type CompanionProblems = Record<CompanionProblem | "wrong-credentials" | "rate-limited", string>;

/** Every key of a dictionary, nested keys as a.b.c, with whether it is a string or a function. */
function shape(messages: object, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    value && typeof value === "object" && !Array.isArray(value) ? shape(value, `${prefix}${key}.`) : [`${prefix}${key}:${Array.isArray(value) ? "array" : typeof value}`],
  );
}

describe("the language of a page", () => {
  it("follows Accept-Language, with its q-values, and any Chinese or English region", () => {
    expect(localeFromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("zh-TW")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("zh")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("en-GB,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=0.5, zh-CN;q=0.8")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("fr-FR, zh;q=0.7, en;q=0.6")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("ZH-cn")).toBe("zh-CN");
  });

  it("is English when the browser asks for none of ours, or for nothing, or refuses one", () => {
    expect(localeFromAcceptLanguage(undefined)).toBe(defaultLocale);
    expect(localeFromAcceptLanguage("")).toBe("en");
    expect(localeFromAcceptLanguage("fr, de;q=0.5")).toBe("en");
    expect(localeFromAcceptLanguage("*")).toBe("en");
    expect(localeFromAcceptLanguage("zh;q=0, fr")).toBe("en");
    expect(localeFromAcceptLanguage(";;;,q=,zh;q=abc")).toBe("en");
  });

  it("accepts only its own locales from the cookie", () => {
    expect(isLocale("zh-CN")).toBe(true);
    expect(isLocale("en")).toBe(true);
    expect(isLocale("zh")).toBe(false);
    expect(isLocale("__proto__")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});

describe("the dictionaries", () => {
  it("say everything in every language, with the same words filled in", () => {
    for (const locale of locales) expect(shape(dictionaries[locale])).toEqual(shape(dictionaries.en));
  });

  it("use Authing's own Chinese wording for the states it names", () => {
    const zh = dictionaries["zh-CN"].qrLogin;
    expect(zh.waiting).toBe("使用 APP 扫码登录");
    expect(zh.scanned).toBe("用户已扫码，等待确认");
    expect(zh.cancelled).toBe("用户取消授权");
    expect(zh.expired).toBe("二维码已过期");
    expect(zh.success).toBe("扫码成功");
    expect(zh.retry).toBe("重试");
  });

  it("fill in numbers and names", () => {
    expect(dictionaries.en.qrLogin.expiredDetail(dictionaries.en.qrLogin.minutes(2))).toBe("Codes last 2 minutes.");
    expect(dictionaries["zh-CN"].qrLogin.expiredDetail(dictionaries["zh-CN"].qrLogin.seconds(30))).toBe("二维码有效期为 30 秒。");
    expect(dictionaries.en.companion.tooManyAttempts(30)).toBe("Too many sign-in attempts. Try again in 30 seconds.");
    expect(dictionaries["zh-CN"].companion.tooManyAttempts(600)).toBe("登录尝试次数过多，请 10 分钟后再试。");
  });

  it("has words for every problem the companion answers (a missing one fails tsc)", () => {
    for (const locale of locales) {
      const problems: CompanionProblems = dictionaries[locale].companion.problems;
      expect(Object.values(problems).every((words) => words.length > 0)).toBe(true);
    }
  });
});
