"use client";

import { useActionState, useId } from "react";

import { signInAction, type SignInFormState } from "@/app/(provider)/m/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useMessages } from "@/lib/qr-login/client/i18n/locale-context";

export function SignInForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(signInAction, {});
  const t = useMessages().companion;
  const id = useId();
  return (
    <form action={formAction} className="flex flex-col gap-3.5" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-username`}>{t.username}</Label>
        <Input
          id={`${id}-username`}
          name="username"
          className="h-11"
          autoComplete="username"
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
        {state.error ?? ""}
      </p>
      <Button type="submit" size="lg" className="h-11 w-full" disabled={pending}>
        {pending ? t.signingIn : t.signIn}
      </Button>
    </form>
  );
}
