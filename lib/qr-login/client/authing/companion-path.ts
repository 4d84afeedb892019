/**
 * Where the embedded provider's QR codes point: the companion phone page for one code. Shared by
 * the provider, which encodes it, and the login page, which offers it as a link for trying the
 * flow in a second window when no phone is at hand.
 */
export const companionPath = (qrcodeId: string) => `/m/scan/${qrcodeId}`;

/** What a QR code's id looks like here: 128+ random bits, base64url or hex (see qrCodeIdSchema). */
export const QR_CODE_ID = /^[A-Za-z0-9_-]{16,128}$/;

/** The companion's pages: the embedded provider's, so they are off (404) against real Authing. */
export const isCompanionPath = (pathname: string) => pathname === "/m" || pathname.startsWith("/m/");
