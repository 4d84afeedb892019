"use client";

import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { KeyRound } from "lucide-react";
import { useState, useSyncExternalStore } from "react";

import { addPasskeyAction, passkeyRegistrationOptionsAction, removePasskeyAction } from "@/app/(provider)/m/actions";
import { Button } from "@/components/ui/button";
import { passkeyErrorOf } from "@/lib/qr-login/client/i18n/passkey-messages";
import { useLocale, useMessages } from "@/lib/qr-login/client/i18n/locale-context";
import type { CompanionResult } from "@/lib/qr-login/companion/companion";
import type { CompanionPasskey } from "@/lib/qr-login/companion/passkeys";

const noSubscription = () => () => undefined;

type Status = { kind: "idle" | "adding" | "removing" } | { kind: "done" | "error"; message: string };

/**
 * The signed-in phone's passkeys: added with the phone's own authenticator (a resident key, user
 * verification required), listed with when they were added and last used, and removed.
 */
export function PasskeyManager({ initial }: { initial: CompanionPasskey[] }) {
  const [passkeys, setPasskeys] = useState(initial);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const messages = useMessages();
  const t = messages.passkeys;
  const locale = useLocale();
  // In the phone's own time zone, so only once hydrated: the server's would not match it.
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  const date = (millis: number) => (inBrowser ? new Date(millis).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }) : "…");

  async function settle(result: CompanionResult<CompanionPasskey[]>, done: string) {
    if (result.ok) {
      setPasskeys(result.value);
      setStatus({ kind: "done", message: done });
    } else {
      setStatus({ kind: "error", message: messages.companion.problems[result.problem] });
    }
  }

  async function add() {
    setStatus({ kind: "adding" });
    try {
      const options = await passkeyRegistrationOptionsAction();
      if (!options.ok) return setStatus({ kind: "error", message: messages.companion.problems[options.problem] });
      let credential;
      try {
        credential = await startRegistration({ optionsJSON: options.value as unknown as PublicKeyCredentialCreationOptionsJSON });
      } catch (error) {
        return setStatus({ kind: "error", message: t.errors[passkeyErrorOf(error)] });
      }
      await settle(await addPasskeyAction(credential), t.addedNow);
    } catch {
      setStatus({ kind: "error", message: messages.companion.actionFailed });
    }
  }

  async function remove(id: string) {
    setStatus({ kind: "removing" });
    try {
      await settle(await removePasskeyAction(id), t.removedNow);
    } catch {
      setStatus({ kind: "error", message: messages.companion.actionFailed });
    }
  }

  const busy = status.kind === "adding" || status.kind === "removing";
  return (
    <section className="flex flex-col gap-3 border-t pt-4" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title" className="flex items-center gap-2 text-lg font-semibold">
        <KeyRound className="size-5" aria-hidden="true" />
        {t.title}
      </h2>
      <p className="text-sm text-muted-foreground">{passkeys.length > 0 ? t.confirmsWith : t.offer}</p>
      {passkeys.length > 0 ? (
        <ul className="m-0 flex list-none flex-col divide-y overflow-hidden rounded-lg border p-0" aria-label={t.listLabel}>
          {passkeys.map((passkey, index) => {
            const name = t.passkeyName(index + 1);
            return (
              <li key={passkey.id} className="flex items-center justify-between gap-3 px-3.5 py-2.5">
                <div className="min-w-0">
                  <p className="font-semibold">{name}</p>
                  <p className="text-sm text-muted-foreground">
                    {t.added(date(passkey.createdAt))}, {passkey.lastUsedAt === null ? t.neverUsed : t.lastUsed(date(passkey.lastUsedAt))}
                  </p>
                </div>
                <Button type="button" variant="outline" disabled={busy} aria-label={t.removeLabel(name)} onClick={() => remove(passkey.id)}>
                  {t.remove}
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p
        className={status.kind === "error" ? "min-h-6 text-sm text-destructive" : "min-h-6 text-sm text-muted-foreground"}
        role={status.kind === "error" ? "alert" : "status"}
      >
        {status.kind === "done" || status.kind === "error" ? status.message : ""}
      </p>
      <Button type="button" variant="outline" size="lg" className="h-11 w-full" disabled={busy} onClick={add}>
        {status.kind === "adding" ? t.adding : t.add}
      </Button>
    </section>
  );
}
