// The request headers of the wire API, in one place: those Authing's clients send (the V3
// client here, its SDKs and phone apps) and the few this app's server adds when it calls the
// embedded provider on a user's behalf.

/** The app a V3 (and V2) request is for. */
export const APP_ID_HEADER = "x-authing-app-id";
/** The user pool Authing's V2 clients name, with or instead of the app. */
export const USER_POOL_ID_HEADER = "x-authing-userpool-id";
/** Which SDK sends the request ("sdk", "guard-ios", "SDK@Flutter@1.2.3"…); read by nothing here. */
export const REQUEST_FROM_HEADER = "x-authing-request-from";
export const SDK_VERSION_HEADER = "x-authing-sdk-version";
export const LANG_HEADER = "x-authing-lang";

/**
 * A code made `withPollSecret` shows its ticket and its scanner only to a status request that
 * sends the secret in this header; everyone else sees the bare status.
 */
export const POLL_SECRET_HEADER = "x-qrcode-poll-secret";

/**
 * Header in which the app's own server names the end user's address when it calls on their
 * behalf: its requests reach the provider from the server's address (or from no address at all,
 * in process). Believed only from a caller that proved the app secret.
 */
export const CLIENT_IP_HEADER = "x-qr-login-client-ip";

/**
 * Header in which the app's companion names the phone (its signed device cookie, checked by the
 * app) that signs in. Believed only from a caller that proved the app secret.
 */
export const SIGNIN_DEVICE_HEADER = "x-qr-login-device";
