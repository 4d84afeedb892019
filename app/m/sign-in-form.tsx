"use client";

import { useActionState } from "react";

import { signInAction, type SignInFormState } from "@/app/m/actions";
import { useMessages } from "@/lib/i18n/locale-context";

export function SignInForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(signInAction, {});
  const t = useMessages().companion;
  return (
    <form action={formAction} className="form" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <label className="field">
        <span>{t.username}</span>
        <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} defaultValue={state.username} required />
      </label>
      <label className="field">
        <span>{t.password}</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <p className="form-error" role="alert">
        {state.error ?? ""}
      </p>
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        {pending ? t.signingIn : t.signIn}
      </button>
    </form>
  );
}
