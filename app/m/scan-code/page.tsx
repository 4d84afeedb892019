import type { Metadata } from "next";
import { connection } from "next/server";

import { CameraScanner } from "@/app/m/scan-code/camera-scanner";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Scan a code" };

/**
 * The companion's own scanner. It needs no session: the scan link it opens asks the phone to
 * sign in first when it is not, like a link opened from the phone's camera app.
 */
export default async function ScanCodePage() {
  // The pool id is this deployment's, read when a phone asks, never when the app is built.
  await connection();
  return <CameraScanner userPoolId={getConfig().provider.userPoolId} />;
}
