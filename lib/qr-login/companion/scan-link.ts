import { readAuthingQrCodePayload } from "@/lib/qr-login/client/authing/qr-code-payload";
import { companionPath, QR_CODE_ID } from "@/lib/qr-login/client/authing/companion-path";

const SCAN_PATH = /^\/m\/scan\/([^/]*)$/;

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
  return id && QR_CODE_ID.test(id) ? companionPath(id) : null;
}

/** Why the in-app scanner does not open a code: not a sign-in code of this site, or Authing's for another user pool. */
export type ScanRefusal = "not-ours" | "other-pool";
export type ScannedCode = { path: string } | { refusal: ScanRefusal };

/**
 * What the in-app scanner does with a scanned text. The embedded provider's codes carry either a
 * scan link (QR_CODE_CONTENT=companion) or Authing's JSON payload (QR_CODE_CONTENT=authing), whose
 * `random` leads to the same scan page when its `userPoolId` is this provider's. The payload names
 * no site, so the pool is what ties it to this one; the path is rebuilt from the id alone.
 */
export function scannedCode(text: string, { origin, userPoolId }: { origin: string; userPoolId: string }): ScannedCode {
  const payload = readAuthingQrCodePayload(text.trim());
  if (payload) return payload.userPoolId === userPoolId ? { path: companionPath(payload.random) } : { refusal: "other-pool" };
  const path = scanLinkPath(text, origin);
  return path ? { path } : { refusal: "not-ours" };
}
