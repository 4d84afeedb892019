export { QrLogin, type QrLoginProps, type QrLoginTips } from "@/components/qr-login/qr-login";
export { useQrLogin } from "@/components/qr-login/use-qr-login";
export {
  defaultQrLoginSettings,
  QrLoginSignInError,
  type QrLoginCallbacks,
  type QrLoginSettings,
  type QrLoginState,
  type UseQrLogin,
  type UseQrLoginOptions,
} from "@/components/qr-login/qr-login-types";
export { QrLoginRequestError } from "@/components/qr-login/use-qr-login-status";
export type { HeldAccount } from "@/lib/qr-login/client/flow/account-check";
export { qrLoginLocales, qrLoginMessages, type QrLoginLocale, type QrLoginMessages } from "@/lib/qr-login/client/i18n/qr-login-messages";
