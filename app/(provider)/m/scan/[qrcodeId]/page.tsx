import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { Suspense } from "react";

import { ScanConfirm } from "@/app/(provider)/m/scan/[qrcodeId]/scan-confirm";
import { buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { qrCodeIdSchema } from "@/lib/qr-login/client/authing/schemas";
import { getMessages } from "@/lib/qr-login/client/i18n/server";
import { companionPath } from "@/lib/qr-login/client/authing/companion-path";
import { getConfig } from "@/lib/qr-login/platform/config";
import { companionProfile, hasScanIntent, readCompanionToken } from "@/lib/qr-login/companion/companion";
import { confirmsWithPasskey } from "@/lib/qr-login/companion/passkeys";
import { trustedRequestOrigin } from "@/lib/qr-login/platform/request-info";

type Props = { params: Promise<{ qrcodeId: string }> };

/**
 * What the QR code encodes. Rendering changes nothing (link unfurlers and prefetchers GET it):
 * the scan itself is a server action the page's client component sends, after a tap unless the
 * companion's own camera read the code.
 */
export default function ScanPage({ params }: Props) {
  return (
    <Suspense fallback={<section className="phone-card" aria-busy="true" />}>
      <Scan params={params} />
    </Suspense>
  );
}

/**
 * Per request, inside the page's <Suspense>: the code's id, the phone's cookie, the provider's
 * answer about it (a call with a request id of its own, made only after connection()), and the
 * redirect to sign in first when the phone is not signed in.
 */
async function Scan({ params }: Props) {
  await connection();
  const { qrcodeId } = await params;
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  const { t } = await getMessages();
  if (!id.success) {
    return (
      <Card className="gap-4 px-5">
        <h1 className="text-2xl font-semibold tracking-tight">{t.companion.notACode}</h1>
        <p>{t.companion.notACodeText}</p>
        <a className={buttonVariants({ variant: "outline", size: "lg", className: "h-11 w-full" })} href="/m">
          {t.companion.back}
        </a>
      </Card>
    );
  }

  const profile = (await readCompanionToken()) ? await companionProfile() : undefined;
  if (!profile?.ok) redirect(`/m?next=${encodeURIComponent(companionPath(id.data))}`);
  const user = profile.value;
  const site = trustedRequestOrigin(await headers(), new URL(getConfig().nextAuth.url ?? "http://localhost")).host;
  return (
    <ScanConfirm
      qrcodeId={id.data}
      userName={user.nickname ?? user.username ?? user.email ?? t.home.you}
      site={site}
      scanNow={await hasScanIntent(id.data)}
      passkey={await confirmsWithPasskey()}
    />
  );
}
