"use client";

import { useState } from "react";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { QrLogin, type QrLoginSettings } from "@/components/qr-login";
import { useLocale } from "@/lib/qr-login/client/i18n/locale-context";

/** Shows every callback as it fires, and stays on the page after sign-in (onSuccess → false). */
export function QrLoginDemo({ settings }: { settings: QrLoginSettings }) {
  const [events, setEvents] = useState<string[]>([]);
  const [signedInAs, setSignedInAs] = useState<string | null>(null);
  const log = (event: string) => setEvents((previous) => [...previous, event]);
  const locale = useLocale();

  return (
    <div className="flex flex-col items-center gap-4">
      <QrLogin
        locale={locale}
        settings={settings}
        size={200}
        callbackUrl="/account"
        tips={{ waiting: "Scan me with the companion app", scanned: "Scanned: waiting for the phone", newCode: "Show another code" }}
        onQrCodeLoad={() => log("qr-code-load")}
        onQrCodeShow={() => log("qr-code-show")}
        onQrCodeLoadFailed={() => log("qr-code-load-failed")}
        onStatus={(answer) => log(`status ${answer.status}`)}
        onScanned={(scanner) => log(`scanned by ${scanner?.displayName ?? "someone"}`)}
        onAskAccount={(account) => log(`ask-account ${account?.name ?? "someone"}`)}
        onCancel={() => log("cancel")}
        onExpired={() => log("expired")}
        onRenew={(_code, renewal) => log(`renew ${renewal}`)}
        onError={(error) => log(`error ${error.name}`)}
        onRetry={() => log("retry")}
        onSuccess={({ scanner, callbackUrl }) => {
          log(`success → ${callbackUrl}`);
          setSignedInAs(scanner?.displayName ?? "you");
          return false;
        }}
      />
      {signedInAs ? (
        <Alert role="status">
          <AlertDescription className="block text-foreground">
            Welcome, {signedInAs}.{" "}
            <a className="font-medium text-primary underline underline-offset-4" href="/account">
              Account details
            </a>
          </AlertDescription>
        </Alert>
      ) : null}
      <h2 className="self-start font-semibold">Callbacks so far</h2>
      <ol className="max-h-60 list-decimal self-stretch overflow-auto pl-6 font-mono text-sm" aria-label="Callbacks so far">
        {dedupeStatus(events).map((event, index) => (
          <li key={index}>{event}</li>
        ))}
      </ol>
    </div>
  );
}

/** A held status request answers the same status again every wait: show a repeat once, counted. */
function dedupeStatus(events: string[]): string[] {
  const shown: string[] = [];
  for (const event of events) {
    const last = shown[shown.length - 1];
    const base = last?.replace(/ ×\d+$/, "");
    if (event.startsWith("status ") && base === event) {
      const count = Number(/ ×(\d+)$/.exec(last!)?.[1] ?? 1) + 1;
      shown[shown.length - 1] = `${event} ×${count}`;
    } else shown.push(event);
  }
  return shown;
}
