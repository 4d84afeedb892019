import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";

import { CameraScanner } from "@/app/(provider)/m/scan-code/camera-scanner";
import { getConfig } from "@/lib/qr-login/platform/config";

export const metadata: Metadata = { title: "Scan a code" };

/**
 * The companion's own scanner. It needs no session: the scan link it opens asks the phone to
 * sign in first when it is not, like a link opened from the phone's camera app.
 */
export default function ScanCodePage() {
  return (
    <Suspense fallback={<section className="phone-card" aria-busy="true" />}>
      <ScanCode />
    </Suspense>
  );
}

async function ScanCode() {
  // The pool id is this deployment's, read when a phone asks, never when the app is built.
  await connection();
  return <CameraScanner userPoolId={getConfig().provider.userPoolId} />;
}
