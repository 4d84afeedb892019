/** The `error` NextAuth answers when the provider, not the code, made a sign-in fail. */
export const SIGN_IN_SERVICE_UNAVAILABLE = "SignInServiceUnavailable";

/**
 * The `error` NextAuth answers when the code's account is not the one this browser last signed
 * in with: the sign-in is held until the person at the browser continues (lib/qr-login/client/flow/account-check.ts).
 */
export const SIGN_IN_ASK_ACCOUNT = "QrLoginAskAccount";
