/**
 * The words of the companion's passkeys: the `passkeys` part of each
 * dictionary in messages.ts, kept in a file of their own.
 */
export const passkeysEn = {
  title: "Passkeys",
  offer: "Sign in with this phone's fingerprint, face or screen lock instead of your password, and confirm every sign-in elsewhere with it.",
  confirmsWith: "Signing in elsewhere asks for this phone's fingerprint, face or screen lock.",
  listLabel: "Your passkeys",
  passkeyName: (index: number) => `Passkey ${index}`,
  added: (date: string) => `Added ${date}`,
  lastUsed: (date: string) => `last used ${date}`,
  neverUsed: "not used yet",
  add: "Add a passkey",
  adding: "Adding…",
  addedNow: "Passkey added. Confirming a sign-in now asks for your fingerprint, face or screen lock.",
  remove: "Remove",
  removeLabel: (name: string) => `Remove ${name}`,
  removedNow: "Passkey removed.",
  signIn: "Sign in with a passkey",
  or: "or with your password",
  signInRefused: "This passkey was not accepted: it may have been removed, or made for another site. Sign in with your password.",
  confirmHint: "Confirming asks for your fingerprint, face or screen lock.",
  verifying: "Waiting for your fingerprint, face or screen lock…",
  errors: {
    unsupported: "This browser cannot use passkeys. Open this page in an up-to-date browser, or use your password.",
    "no-authenticator": "This phone has no fingerprint, face or screen lock that passkeys can use. Set up a screen lock in the phone's settings, or use your password.",
    cancelled: "The passkey prompt was closed or timed out. Tap the button again when you are ready.",
    "other-site": "Your passkeys belong to another address of this site. Open the companion at its usual address and try again.",
    "already-added": "This phone already holds a passkey for your account.",
    failed: "The passkey did not work. Try again, or use your password.",
  },
};

export type PasskeyMessages = typeof passkeysEn;
export type PasskeyError = keyof PasskeyMessages["errors"];

export const passkeysZhCN: PasskeyMessages = {
  title: "通行密钥",
  offer: "用这部手机的指纹、面容或锁屏密码代替密码登录，并用它确认在其他设备上的每次登录。",
  confirmsWith: "在其他设备上登录时，需要验证这部手机的指纹、面容或锁屏密码。",
  listLabel: "你的通行密钥",
  passkeyName: (index) => `通行密钥 ${index}`,
  added: (date) => `添加于 ${date}`,
  lastUsed: (date) => `上次使用 ${date}`,
  neverUsed: "尚未使用",
  add: "添加通行密钥",
  adding: "正在添加…",
  addedNow: "已添加通行密钥。今后确认登录时，需要验证你的指纹、面容或锁屏密码。",
  remove: "移除",
  removeLabel: (name) => `移除${name}`,
  removedNow: "已移除通行密钥。",
  signIn: "使用通行密钥登录",
  or: "或使用密码登录",
  signInRefused: "此通行密钥未被接受：它可能已被移除，或属于其他网站。请使用密码登录。",
  confirmHint: "确认时需要验证你的指纹、面容或锁屏密码。",
  verifying: "正在等待验证指纹、面容或锁屏密码…",
  errors: {
    unsupported: "此浏览器不支持通行密钥。请在最新版浏览器中打开此页面，或使用密码。",
    "no-authenticator": "这部手机没有可供通行密钥使用的指纹、面容或锁屏密码。请在手机设置中设置锁屏，或使用密码。",
    cancelled: "通行密钥验证已关闭或超时。准备好后请再次点按按钮。",
    "other-site": "你的通行密钥属于本站的另一个地址。请在平常使用的地址打开配套 App 后重试。",
    "already-added": "这部手机已保存你账号的通行密钥。",
    failed: "通行密钥验证未成功。请重试，或使用密码。",
  },
};

/**
 * What went wrong in the browser's WebAuthn call, as one of the words above: @simplewebauthn/browser's
 * WebAuthnError (its `code`), or the DOMException it passed through (its `name`).
 */
export function passkeyErrorOf(error: unknown): PasskeyError {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === "NotAllowedError" || name === "AbortError") return "cancelled";
  if (name === "SecurityError" || code === "ERROR_INVALID_DOMAIN" || code === "ERROR_INVALID_RP_ID") return "other-site";
  if (name === "InvalidStateError" || code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "already-added";
  if (name === "NotSupportedError" || code?.startsWith("ERROR_AUTHENTICATOR_MISSING")) return "no-authenticator";
  if (error instanceof Error && /WebAuthn is not supported/i.test(error.message)) return "unsupported";
  return "failed";
}
