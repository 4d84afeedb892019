/** The `error` NextAuth answers when the provider, not the code, made a sign-in fail. */
export const SIGN_IN_SERVICE_UNAVAILABLE = "SignInServiceUnavailable";
