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

export async function decideAction(qrcodeId: unknown, decision: unknown): Promise<CompanionResult<null>> {
  requireCompanionSwitchedOn();
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  const action = decisionSchema.safeParse(decision);
  if (!id.success || !action.success) return invalidCode;
  return decideQrCode(id.data, action.data);
}

export async function codeFateAction(qrcodeId: unknown): Promise<CompanionResult<QrCodeStatus>> {
  requireCompanionSwitchedOn();
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  return id.success ? companionCodeFate(id.data) : invalidCode;
}
