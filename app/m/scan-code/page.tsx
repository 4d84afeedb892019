import type { Metadata } from "next";

import { CameraScanner } from "@/app/m/scan-code/camera-scanner";

export const metadata: Metadata = { title: "Scan a code" };

/**
 * The companion's own scanner. It needs no session: the scan link it opens asks the phone to
 * sign in first when it is not, like a link opened from the phone's camera app.
 */
export default function ScanCodePage() {
  return <CameraScanner />;
}
