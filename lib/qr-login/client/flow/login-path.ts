/**
 * The sign-in page's path: NextAuth's sign-in page, the page the proxy binds a code on, and the
 * one path a sign-in never returns to. To serve it elsewhere, change this and move app/login/.
 */
export const QR_LOGIN_PATH = "/login";
