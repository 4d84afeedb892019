/**
 * Every word the pages show, in English and Simplified Chinese. The Chinese follows Authing's own
 * wording where it has one (使用 APP 扫码登录, 用户已扫码，等待确认, 用户取消授权, 二维码已过期,
 * 扫码成功, 重试). Plain data, so server components and client components read the same thing.
 */
import { qrLoginMessages } from "@/lib/qr-login/client/i18n/qr-login-messages";
import { passkeysEn, passkeysZhCN } from "@/lib/qr-login/client/i18n/passkey-messages";
import { scanCodeEn, scanCodeZhCN } from "@/lib/qr-login/client/i18n/scan-code-messages";

export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";
export const LOCALE_COOKIE_NAME = "locale";


const en = {
  languageName: "English",
  switchLanguage: "Language",
  meta: {
    title: "Scan to sign in",
    description: "Sign in on the web by scanning a QR code with your phone app.",
  },
  qrLogin: qrLoginMessages.en,
  login: {
    title: "Sign in",
    lead: "Scan the code with the companion app on your phone.",
    sessionEnded: "Your session has ended. Sign in again.",
  },
  home: {
    title: "Scan to sign in",
    lead: "No password on this computer: scan a QR code with the companion app on your phone, confirm there, and you're in.",
    sessionEnded: "Your session has ended. Sign in again with your phone.",
    signIn: "Sign in with a QR code",
    companionHint: ["On your phone, open ", " on this site to get the companion app."] as [string, string],
    signedInAs: "Signed in as",
    photoOf: (name: string) => `Photo of ${name}`,
    you: "you",
    accountDetails: "Account details",
    signOut: "Sign out",
    signOutFailed: "Sign-out did not go through: the sign-in service is unavailable. You are still signed in; try again in a moment.",
  },
  account: {
    title: "Your account",
    signedInAs: (name: string) => `Signed in as ${name}`,
    profile: "Profile from /oidc/me",
    claims: "Claims of the verified id_token",
    profileUnavailable: "The profile could not be loaded right now.",
    home: "Home",
  },
  companion: {
    appName: "Companion app",
    signInTitle: "Sign in",
    signInFirst: "Sign in on this phone first; then you will confirm the other device.",
    signInOnce: "Sign in once on this phone; then scan codes to sign in elsewhere.",
    username: "Username",
    password: "Password",
    signIn: "Sign in",
    signingIn: "Signing in…",
    demoAccounts: "Demo accounts",
    demoPassword: "Demo accounts (password",
    signedInAs: "This phone is signed in as",
    readyTitle: "Ready to scan",
    readyText: "Point your phone's camera at the QR code on the sign-in page and open the link. You will be asked to confirm before anything is signed in.",
    signOut: "Sign out",
    signOutFailed: "Sign-out did not go through: the sign-in service is unavailable. This phone is still signed in; try again in a moment.",
    askTitle: "A sign-in code",
    askText: (site: string, name: string): [string, string, string, string, string] => [
      "This link asks to sign in to ",
      site,
      " on another device as ",
      name,
      ". Continue only if you are signing in there yourself right now: continuing shows that device your name and photo.",
    ],
    askContinue: "Continue",
    askNotNow: "Not now",
    reading: "Reading the code…",
    confirmTitle: "Sign in on another device?",
    confirmText: (name: string): [string, string, string] => [`A browser is asking to sign in as `, name, `. Only confirm if you just opened the sign-in page yourself.`],
    browser: "Browser",
    browserOn: (browser: string, os: string) => `${browser} on ${os}`,
    ip: "IP address",
    unknown: "Unknown",
    askedAt: "Asked at",
    differentNetwork: "Different network.",
    differentNetworkText: "This request does not come from your phone's network, as far as this app can tell. If someone sent you this code, cancel.",
    cancel: "Cancel",
    confirm: "Confirm sign-in",
    confirmed: "You're signed in on the other device",
    closePage: "You can close this page.",
    cancelledTitle: "Sign-in cancelled",
    cancelledText: "Nothing was signed in. You can close this page.",
    problemTitle: "Can't use this code",
    signInAgain: "Sign in again",
    back: "Back",
    notACode: "Not a sign-in code",
    notACodeText: "This link is not a valid QR code link. Scan the code on the sign-in page again.",
    actionFailed: "That did not reach the server. Check your connection and try again.",
    enterUsername: "Enter your username.",
    enterPassword: "Enter your password.",
    usernameTooLong: "That username is too long.",
    passwordTooLong: "That password is too long.",
    checkForm: "Check the form.",
    tooManyAttempts: (retryAfterSeconds?: number) =>
      retryAfterSeconds === undefined
        ? "Too many sign-in attempts. Wait a while, then try again."
        : `Too many sign-in attempts. Try again in ${retryAfterSeconds < 120 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`}.`,
    unreachable: "Could not reach the server. Check your connection and reload.",
    problems: {
      "sign-in-required": "Your session on this phone has ended. Sign in again.",
      "not-found": "This QR code does not exist. Ask for a new code on the other device.",
      expired: "This QR code has expired. Get a new code on the other device and scan again.",
      taken: "Someone else already scanned this QR code. Get a new code on the other device.",
      "already-used": "This QR code was already used. Get a new code on the other device.",
      unavailable: "The sign-in service is not reachable right now. Try again in a moment.",
      "wrong-credentials": "Wrong username or password.",
      "rate-limited": "Too many sign-in attempts. Wait a while, then try again.",
      "passkey-required": "This account confirms with its passkey. Reload this page and confirm again.",
      "passkey-refused": "Your passkey was not accepted for this code. Try again; the code is still waiting.",
    },
  },
  scanCode: scanCodeEn,
  passkeys: passkeysEn,
};

export type Messages = typeof en;

const zhCN: Messages = {
  languageName: "简体中文",
  switchLanguage: "语言",
  meta: {
    title: "扫码登录",
    description: "用手机 App 扫描二维码，登录网页。",
  },
  qrLogin: qrLoginMessages["zh-CN"],
  login: {
    title: "登录",
    lead: "用手机上的配套 App 扫描二维码。",
    sessionEnded: "你的会话已结束，请重新登录。",
  },
  home: {
    title: "扫码登录",
    lead: "无需在这台电脑上输入密码：用手机上的配套 App 扫描二维码，在手机上确认即可登录。",
    sessionEnded: "你的会话已结束，请用手机重新登录。",
    signIn: "扫码登录",
    companionHint: ["在手机上打开本站的 ", "，即可使用配套 App。"],
    signedInAs: "当前登录用户",
    photoOf: (name: string) => `${name} 的头像`,
    you: "你",
    accountDetails: "账号详情",
    signOut: "退出登录",
    signOutFailed: "退出登录未成功：登录服务暂时不可用。你仍处于登录状态，请稍后重试。",
  },
  account: {
    title: "你的账号",
    signedInAs: (name: string) => `当前登录用户：${name}`,
    profile: "来自 /oidc/me 的资料",
    claims: "已验证的 id_token 声明",
    profileUnavailable: "暂时无法加载资料。",
    home: "首页",
  },
  companion: {
    appName: "配套 App",
    signInTitle: "登录",
    signInFirst: "请先在这台手机上登录，然后确认另一台设备的登录。",
    signInOnce: "在这台手机上登录一次，之后扫码即可在其他设备登录。",
    username: "用户名",
    password: "密码",
    signIn: "登录",
    signingIn: "正在登录…",
    demoAccounts: "演示账号",
    demoPassword: "演示账号（密码",
    signedInAs: "这台手机的登录用户",
    readyTitle: "可以扫码了",
    readyText: "用手机相机对准登录页上的二维码并打开链接。登录前会请你确认。",
    signOut: "退出登录",
    signOutFailed: "退出登录未成功：登录服务暂时不可用。这台手机仍处于登录状态，请稍后重试。",
    askTitle: "登录二维码",
    askText: (site: string, name: string): [string, string, string, string, string] => [
      "此链接请求以 ",
      name,
      " 的身份在另一台设备上登录 ",
      site,
      "。只有你本人正在那里登录时才继续：继续后，那台设备会看到你的名字和头像。",
    ],
    askContinue: "继续",
    askNotNow: "暂不",
    reading: "正在读取二维码…",
    confirmTitle: "在另一台设备上登录？",
    confirmText: (name: string): [string, string, string] => [`有浏览器请求以 `, name, ` 的身份登录。只有在你刚刚亲自打开登录页时才确认。`],
    browser: "浏览器",
    browserOn: (browser: string, os: string) => `${os} 上的 ${browser}`,
    ip: "IP 地址",
    unknown: "未知",
    askedAt: "请求时间",
    differentNetwork: "网络不同。",
    differentNetworkText: "据本应用所知，此请求并非来自你的手机所在的网络。如果二维码是别人发给你的，请取消。",
    cancel: "取消",
    confirm: "确认登录",
    confirmed: "另一台设备已登录",
    closePage: "你可以关闭此页面。",
    cancelledTitle: "用户取消授权",
    cancelledText: "没有登录任何设备。你可以关闭此页面。",
    problemTitle: "无法使用此二维码",
    signInAgain: "重新登录",
    back: "返回",
    notACode: "不是登录二维码",
    notACodeText: "此链接不是有效的二维码链接。请重新扫描登录页上的二维码。",
    actionFailed: "请求没有到达服务器。请检查网络后重试。",
    enterUsername: "请输入用户名。",
    enterPassword: "请输入密码。",
    usernameTooLong: "用户名太长。",
    passwordTooLong: "密码太长。",
    checkForm: "请检查表单。",
    tooManyAttempts: (retryAfterSeconds?: number) =>
      retryAfterSeconds === undefined
        ? "登录尝试次数过多，请稍后再试。"
        : `登录尝试次数过多，请 ${retryAfterSeconds < 120 ? `${retryAfterSeconds} 秒` : `${Math.ceil(retryAfterSeconds / 60)} 分钟`}后再试。`,
    unreachable: "无法连接服务器。请检查网络后刷新。",
    problems: {
      "sign-in-required": "这台手机上的登录已失效，请重新登录。",
      "not-found": "二维码不存在。请在另一台设备上获取新的二维码。",
      expired: "二维码已过期。请在另一台设备上获取新的二维码后重新扫码。",
      taken: "此二维码已被其他人扫描。请在另一台设备上获取新的二维码。",
      "already-used": "此二维码已被使用。请在另一台设备上获取新的二维码。",
      unavailable: "登录服务暂时无法访问，请稍后再试。",
      "wrong-credentials": "用户名或密码错误。",
      "rate-limited": "登录尝试次数过多，请稍后再试。",
      "passkey-required": "此账号需用通行密钥确认。请刷新此页面后再次确认。",
      "passkey-refused": "你的通行密钥未被此二维码接受。请重试，二维码仍在等待确认。",
    },
  },
  scanCode: scanCodeZhCN,
  passkeys: passkeysZhCN,
};

export const dictionaries: Record<Locale, Messages> = { en, "zh-CN": zhCN };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** The best of our locales for an Accept-Language header (q-values honoured; zh-* → zh-CN). */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return defaultLocale;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((param) => param.trim().startsWith("q="))?.trim().slice(2) ?? 1);
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === "en" || tag.startsWith("en-")) return "en";
    if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
  }
  return defaultLocale;
}
