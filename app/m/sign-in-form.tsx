"use client";

import { useActionState } from "react";

import { signInAction, type SignInFormState } from "@/app/m/actions";

export function SignInForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(signInAction, {});
  return (
    <form action={formAction} className="form" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <label className="field">
        <span>Username</span>
        <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} defaultValue={state.username} required />
      </label>
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <p className="form-error" role="alert">
        {state.error ?? ""}
      </p>
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
