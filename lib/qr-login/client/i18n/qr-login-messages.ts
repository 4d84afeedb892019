/**
 * The words of <QrLogin>, in English and Simplified Chinese (Authing's own wording: 使用 APP
 * 扫码登录, 用户已扫码，等待确认, 用户取消授权, 二维码已过期, 扫码成功, 重试). They belong to the
 * component, so it carries them wherever it goes; an app's own dictionaries may include them.
 */
const en = {
  loading: "Getting a code…",
  renewing: "Getting a new code…",
  renewingDetail: "The last one expired.",
  waiting: "Scan with the app",
  waitingCompanion: "Open the companion app on your phone (/m on this site) and scan the code with the camera.",
  waitingApp: "Open the app on your phone and scan the code.",
  scanned: "Confirm on your phone",
  scannedDetail: "Scanned. Tap “Confirm sign-in” on your phone to finish.",
  signingIn: "Signing you in…",
  askAccount: (name: string) => `${name} scanned this code`,
  askAccountDetail: (name: string, email: string | null) =>
    `${email ? `${name} (${email})` : name} confirmed on a phone, but this browser did not last sign in with that account. Continue only if it is yours; if someone else scanned your code, get a new one.`,
  continueAs: (name: string) => `Continue as ${name}`,
  notMe: (name: string) => `Not ${name}? Get a new code`,
  success: "Signed in",
  cancelled: "Sign-in cancelled",
  cancelledDetail: "It was cancelled on the phone.",
  expired: "This code has expired",
  expiredDetail: (lifetime: string) => `Codes last ${lifetime}.`,
  seconds: (n: number) => `${n} seconds`,
  minutes: (n: number) => (n === 1 ? "a minute" : `${n} minutes`),
  rateLimited: "Too many attempts",
  rateLimitedDetail: "Wait a moment; we'll try again.",
  networkTrouble: "Network trouble",
  networkTroubleDetail: "We can't reach the server. Retrying…",
  serviceUnavailable: "Sign-in service unavailable",
  serviceUnavailableDetail: "The sign-in service isn't working right now. It's not your connection or your phone; try again later.",
  codeUnusable: "This code can no longer be used",
  codeNotFoundDetail: "This QR code does not exist any more. Get a new code.",
  codeNotBoundDetail: "This QR code was not created for this browser. Get a new code.",
  somethingWrong: "Something went wrong",
  signInFailed: "Sign-in failed",
  signInFailedDetail: "Get a new code and scan it again.",
  noPhone: "No phone at hand?",
  openPhonePage: "Open the phone page in a new window",
  newCode: "Get a new code",
  retry: "Try again",
  startOver: "Start over with a new code",
  imageAlt: "QR code: scan it with the companion app to sign in",
};

const zhCN: typeof en = {
  loading: "正在获取二维码…",
  renewing: "正在获取新的二维码…",
  renewingDetail: "上一个二维码已过期。",
  waiting: "使用 APP 扫码登录",
  waitingCompanion: "在手机上打开配套 App（本站的 /m），用相机扫描二维码。",
  waitingApp: "打开手机上的 App，扫描二维码。",
  scanned: "用户已扫码，等待确认",
  scannedDetail: "已扫码。请在手机上点击“确认登录”。",
  signingIn: "扫码成功，正在登录…",
  askAccount: (name: string) => `${name} 扫描了此二维码`,
  askAccountDetail: (name: string, email: string | null) =>
    `${email ? `${name}（${email}）` : name} 已在手机上确认，但此浏览器上次登录的不是这个账号。只有当它是你的账号时才继续；如果是别人扫了你的二维码，请获取新的二维码。`,
  continueAs: (name: string) => `以 ${name} 的身份继续`,
  notMe: (name: string) => `不是 ${name}？获取新的二维码`,
  success: "扫码成功",
  cancelled: "用户取消授权",
  cancelledDetail: "已在手机上取消。",
  expired: "二维码已过期",
  expiredDetail: (lifetime: string) => `二维码有效期为 ${lifetime}。`,
  seconds: (n: number) => `${n} 秒`,
  minutes: (n: number) => `${n} 分钟`,
  rateLimited: "尝试次数过多",
  rateLimitedDetail: "请稍候，我们会自动重试。",
  networkTrouble: "网络出错",
  networkTroubleDetail: "无法连接服务器，正在重试…",
  serviceUnavailable: "登录服务暂不可用",
  serviceUnavailableDetail: "登录服务暂时无法使用，这不是你的网络或手机的问题，请稍后再试。",
  codeUnusable: "此二维码已无法使用",
  codeNotFoundDetail: "此二维码已不存在，请获取新的二维码。",
  codeNotBoundDetail: "此二维码不是为这个浏览器生成的，请获取新的二维码。",
  somethingWrong: "出错了",
  signInFailed: "登录失败",
  signInFailedDetail: "请获取新的二维码后重新扫码。",
  noPhone: "手边没有手机？",
  openPhonePage: "在新窗口中打开手机页面",
  newCode: "获取新的二维码",
  retry: "重试",
  startOver: "换一个二维码重新开始",
  imageAlt: "二维码：用配套 App 扫码登录",
};

export const qrLoginLocales = ["en", "zh-CN"] as const;
export type QrLoginLocale = (typeof qrLoginLocales)[number];
export type QrLoginMessages = typeof en;

export const qrLoginMessages: Record<QrLoginLocale, QrLoginMessages> = { en, "zh-CN": zhCN };
