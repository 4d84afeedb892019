"use client";

import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { KeyRound } from "lucide-react";
import { useActionState, useEffect, useId, useRef, useState } from "react";

import { passkeySignInAction, passkeySignInOptionsAction, signInAction, type SignInFormState } from "@/app/(provider)/m/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { passkeyErrorOf } from "@/lib/qr-login/client/i18n/passkey-messages";
import { useMessages } from "@/lib/qr-login/client/i18n/locale-context";

/** `passkeys`: this app's origin can use them; then the form offers them (and the browser autofills them), the password as the fallback. */
export function SignInForm({ next, passkeys = false }: { next?: string; passkeys?: boolean }) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(signInAction, {});
  const messages = useMessages();
  const t = messages.companion;
  const id = useId();
  const passkey = usePasskeySignIn(passkeys, next);
  const error = passkey.error ?? state.error;
  return (
    <div className="flex flex-col gap-3.5">
      {passkeys ? (
        <>
          <Button type="button" size="lg" className="h-11 w-full" disabled={passkey.busy || pending} onClick={passkey.signIn}>
            <KeyRound aria-hidden="true" />
            {passkey.busy ? t.signingIn : messages.passkeys.signIn}
          </Button>
          <p className="text-center text-sm text-muted-foreground">{messages.passkeys.or}</p>
        </>
      ) : null}
      <form action={formAction} className="flex flex-col gap-3.5" noValidate>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-username`}>{t.username}</Label>
          <Input
            id={`${id}-username`}
            name="username"
            className="h-11"
            // "webauthn": the browser may offer this site's passkeys in the field's autofill (conditional UI).
            autoComplete={passkeys ? "username webauthn" : "username"}
            autoCapitalize="none"
            spellCheck={false}
            defaultValue={state.username}
            required
          />
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-password`}>{t.password}</Label>
          <Input id={`${id}-password`} name="password" type="password" className="h-11" autoComplete="current-password" required />
        </div>
        <p className="min-h-6 text-sm text-destructive" role="alert" data-slot="form-error">
          {error ?? ""}
        </p>
        <Button type="submit" size="lg" variant={passkeys ? "outline" : "default"} className="h-11 w-full" disabled={pending || passkey.busy}>
          {pending ? t.signingIn : t.signIn}
        </Button>
      </form>
    </div>
  );
}

/**
 * Signing in with a passkey: at once through the username field's autofill where the browser
 * offers it (conditional UI, waiting quietly for the user to pick one), and with the button.
 * Starting the button's request aborts the waiting one (@simplewebauthn/browser does).
 */
function usePasskeySignIn(enabled: boolean, next: string | undefined) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const messages = useMessages();
  const started = useRef(false);

  async function finish(credential: unknown) {
    setBusy(true);
    try {
      const result = await passkeySignInAction(credential, next);
      // A redirect leaves the page; only a refusal comes back.
      setError(result?.error);
    } catch {
      setError(messages.companion.actionFailed);
    } finally {
      setBusy(false);
    }
  }

  async function options(): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
    const result = await passkeySignInOptionsAction();
    if (result.ok) return result.value as unknown as PublicKeyCredentialRequestOptionsJSON;
    setError(result.error);
    return undefined;
  }

  useEffect(() => {
    if (!enabled || started.current) return;
    started.current = true;
    void (async () => {
      if (!(await browserSupportsWebAuthnAutofill())) return;
      const optionsJSON = await options().catch(() => undefined);
      if (!optionsJSON) return;
      // Closed or replaced by the button's request: nothing to say.
      const credential = await startAuthentication({ optionsJSON, useBrowserAutofill: true }).catch(() => undefined);
      if (credential) await finish(credential);
    })();
    // Once per page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled]);

  async function signIn() {
    setError(undefined);
    if (!browserSupportsWebAuthn()) return setError(messages.passkeys.errors.unsupported);
    setBusy(true);
    try {
      const optionsJSON = await options();
      if (!optionsJSON) return;
      let credential;
      try {
        credential = await startAuthentication({ optionsJSON });
      } catch (failure) {
        return setError(messages.passkeys.errors[passkeyErrorOf(failure)]);
      }
      await finish(credential);
    } catch {
      setError(messages.companion.actionFailed);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, signIn };
}
