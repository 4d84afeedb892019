export { QrLogin, type QrLoginProps, type QrLoginTips } from "@/components/qr-login/qr-login";
export {
  defaultQrLoginSettings,
  QrLoginRequestError,
  QrLoginSignInError,
  useQrLogin,
  type HeldAccount,
  type QrLoginCallbacks,
  type QrLoginSettings,
  type QrLoginState,
  type UseQrLogin,
  type UseQrLoginOptions,
} from "@/components/qr-login/use-qr-login";
export { qrLoginLocales, qrLoginMessages, type QrLoginLocale, type QrLoginMessages } from "@/components/qr-login/messages";
