import { companionPath } from "@/lib/qr-login/companion-path";

/** What a QR code's id looks like here: 128+ random bits, base64url or hex (see qrCodeIdSchema). */
const SCAN_PATH = /^\/m\/scan\/([A-Za-z0-9_-]{16,128})$/;

/**
 * The in-app path a scanned text leads to, when it is one of this site's own scan links, else
 * null. The phone's in-app scanner goes nowhere else: a code from another site (a phishing page's,
 * a stranger's sticker) must not steer it, so the origin must match this page's exactly and the
 * path must be the scan path with nothing added; the path returned is rebuilt from the id alone.
 */
export function scanLinkPath(text: string, origin: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.origin !== origin || url.origin === "null") return null;
  if (url.username || url.password || url.search || url.hash) return null;
  const id = SCAN_PATH.exec(url.pathname)?.[1];
  return id ? companionPath(id) : null;
}
