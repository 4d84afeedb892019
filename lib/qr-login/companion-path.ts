/**
 * Where the embedded provider's QR codes point: the companion phone page for one code. Shared by
 * the provider, which encodes it, and the login page, which offers it as a link for trying the
 * flow in a second window when no phone is at hand.
 */
export const companionPath = (qrcodeId: string) => `/m/scan/${qrcodeId}`;
