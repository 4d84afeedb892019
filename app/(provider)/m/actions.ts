"use server";

import { redirect } from "next/navigation";
import { z } from "zod";

import { qrCodeIdSchema, type QrCodeStatus } from "@/lib/qr-login/client/authing/schemas";
import type { Messages } from "@/lib/qr-login/client/i18n/messages";
import { getMessages } from "@/lib/qr-login/client/i18n/server";
import {
  companionCodeFate,
  decideQrCode,
  markScanIntent,
  requireCompanionSwitchedOn,
  scanQrCode,
  signInCompanion,
  signOutCompanion,
  type CompanionResult,
  type ScanRequester,
} from "@/lib/qr-login/companion/companion";
import {
  addPasskey,
  passkeyConfirmOptions,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  removeCompanionPasskey,
  signInCompanionWithPasskey,
  type CompanionPasskey,
  type PasskeyOptions,
} from "@/lib/qr-login/companion/passkeys";
import { assertionSchema, registrationResponseSchema } from "@/lib/qr-login/provider/passkeys";

export type SignInFormState = { error?: string; username?: string };

const signInFormSchema = z.object({
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
  next: z.string().max(300).optional(),
});

/** Only back to a scan page of this app: never an open redirect. */
function safeNext(next: string | undefined): string {
  if (!next) return "/m";
  const match = /^\/m\/scan\/([^/?#]+)$/.exec(next);
  return match?.[1] && qrCodeIdSchema.safeParse(match[1]).success ? next : "/m";
}

/** The form's first problem, in the phone's language (the action answers in words, not codes). */
function formProblem(issue: z.core.$ZodIssue | undefined, t: Messages["companion"]): string {
  const field = issue?.path[0];
  const tooLong = issue?.code === "too_big";
  if (field === "username") return tooLong ? t.usernameTooLong : t.enterUsername;
  if (field === "password") return tooLong ? t.passwordTooLong : t.enterPassword;
  return t.checkForm;
}

export async function signInAction(_previous: SignInFormState, formData: FormData): Promise<SignInFormState> {
  requireCompanionSwitchedOn();
  const { t } = await getMessages();
  // Anyone can call a server action with any arguments, not only this form.
  if (!(formData instanceof FormData)) return { error: t.companion.checkForm };
  const form = signInFormSchema.safeParse({
    username: formData.get("username") ?? "",
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  if (!form.success) {
    return { error: formProblem(form.error.issues[0], t.companion), username: String(formData.get("username") ?? "") };
  }
  const result = await signInCompanion(form.data.username, form.data.password);
  if (!result.ok) {
    const error =
      result.problem === "rate-limited" ? t.companion.tooManyAttempts(result.retryAfterSeconds) : t.companion.problems[result.problem];
    return { error, username: form.data.username };
  }
  redirect(safeNext(form.data.next));
}

export async function signOutAction(): Promise<void> {
  requireCompanionSwitchedOn();
  const result = await signOutCompanion();
  redirect(result.ok ? "/m" : "/m?signOut=failed");
}

const invalidCode = { ok: false, problem: "not-found", message: "This is not a valid QR code link." } as const;

export async function scanAction(qrcodeId: unknown): Promise<CompanionResult<ScanRequester>> {
  requireCompanionSwitchedOn();
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  return id.success ? scanQrCode(id.data) : invalidCode;
}

/** The companion's camera read this code: the scan page may send SCAN without asking first. */
export async function scanIntentAction(qrcodeId: unknown): Promise<void> {
  requireCompanionSwitchedOn();
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  if (id.success) await markScanIntent(id.data);
}

const decisionSchema = z.enum(["CONFIRM", "CANCEL"]);

/** `userVerification`: the passkey assertion a CONFIRM needs from a user who has a passkey. */
export async function decideAction(qrcodeId: unknown, decision: unknown, userVerification?: unknown): Promise<CompanionResult<null>> {
  requireCompanionSwitchedOn();
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  const action = decisionSchema.safeParse(decision);
  if (!id.success || !action.success) return invalidCode;
  if (userVerification === undefined) return decideQrCode(id.data, action.data);
  const assertion = assertionSchema.safeParse(userVerification);
  return assertion.success ? decideQrCode(id.data, action.data, assertion.data) : passkeyRefused;
}

// Passkeys. A credential is checked here for its shape only; the provider verifies it.

const passkeyRefused = { ok: false, problem: "passkey-refused" } as const;

export async function passkeyRegistrationOptionsAction(): Promise<CompanionResult<PasskeyOptions>> {
  requireCompanionSwitchedOn();
  return passkeyRegistrationOptions();
}

export async function addPasskeyAction(credential: unknown): Promise<CompanionResult<CompanionPasskey[]>> {
  requireCompanionSwitchedOn();
  const parsed = registrationResponseSchema.safeParse(credential);
  return parsed.success ? addPasskey(parsed.data) : passkeyRefused;
}

export async function removePasskeyAction(id: unknown): Promise<CompanionResult<CompanionPasskey[]>> {
  requireCompanionSwitchedOn();
  const parsed = z.string().min(1).max(1366).safeParse(id);
  return parsed.success ? removeCompanionPasskey(parsed.data) : passkeyRefused;
}

export async function passkeyConfirmOptionsAction(qrcodeId: unknown): Promise<CompanionResult<PasskeyOptions>> {
  requireCompanionSwitchedOn();
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  return id.success ? passkeyConfirmOptions(id.data) : invalidCode;
}

export type PasskeySignInResult = { ok: true; value: PasskeyOptions } | { ok: false; error: string };

export async function passkeySignInOptionsAction(): Promise<PasskeySignInResult> {
  requireCompanionSwitchedOn();
  const result = await passkeySignInOptions();
  return result.ok ? result : { ok: false, error: await signInProblemWords(result) };
}

/** Signs in with the assertion and goes on as the password form does; or says, in words, why not. */
export async function passkeySignInAction(credential: unknown, next: unknown): Promise<{ error: string }> {
  requireCompanionSwitchedOn();
  const assertion = assertionSchema.safeParse(credential);
  const result = assertion.success ? await signInCompanionWithPasskey(assertion.data) : passkeyRefused;
  if (!result.ok) return { error: await signInProblemWords(result) };
  redirect(safeNext(typeof next === "string" ? next : undefined));
}

async function signInProblemWords(result: { problem: "rate-limited" | "passkey-refused" | "unavailable"; retryAfterSeconds?: number }): Promise<string> {
  const { t } = await getMessages();
  if (result.problem === "rate-limited") return t.companion.tooManyAttempts(result.retryAfterSeconds);
  return result.problem === "passkey-refused" ? t.passkeys.signInRefused : t.companion.problems.unavailable;
}

export async function codeFateAction(qrcodeId: unknown): Promise<CompanionResult<QrCodeStatus>> {
  requireCompanionSwitchedOn();
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  return id.success ? companionCodeFate(id.data) : invalidCode;
}
