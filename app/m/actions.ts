"use server";

import { redirect } from "next/navigation";
import { z } from "zod";

import { qrCodeIdSchema, type QrCodeStatus } from "@/lib/authing/schemas";
import { getMessages } from "@/lib/i18n/server";
import {
  companionCodeFate,
  decideQrCode,
  scanQrCode,
  signInCompanion,
  signOutCompanion,
  type CompanionResult,
  type ScanRequester,
} from "@/lib/qr-login/companion";

export type SignInFormState = { error?: string; username?: string };

const signInFormSchema = z.object({
  username: z.string().trim().min(1, "Enter your username.").max(254, "That username is too long."),
  password: z.string().min(1, "Enter your password.").max(256, "That password is too long."),
  next: z.string().max(300).optional(),
});

/** Only back to a scan page of this app: never an open redirect. */
function safeNext(next: string | undefined): string {
  if (!next) return "/m";
  const match = /^\/m\/scan\/([^/?#]+)$/.exec(next);
  return match?.[1] && qrCodeIdSchema.safeParse(match[1]).success ? next : "/m";
}

export async function signInAction(_previous: SignInFormState, formData: FormData): Promise<SignInFormState> {
  // Anyone can call a server action with any arguments, not only this form.
  if (!(formData instanceof FormData)) return { error: "Check the form." };
  const form = signInFormSchema.safeParse({
    username: formData.get("username") ?? "",
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  const { t } = await getMessages();
  if (!form.success) {
    const field = form.error.issues[0]?.path[0];
    const message = field === "username" ? t.companion.enterUsername : field === "password" ? t.companion.enterPassword : undefined;
    return { error: message ?? form.error.issues[0]?.message ?? "Check the form.", username: String(formData.get("username") ?? "") };
  }
  const result = await signInCompanion(form.data.username, form.data.password);
  if (!result.ok) return { error: t.companion.problems[result.problem] ?? result.message, username: form.data.username };
  redirect(safeNext(form.data.next));
}

export async function signOutAction(): Promise<void> {
  await signOutCompanion();
  redirect("/m");
}

const invalidCode = { ok: false, problem: "not-found", message: "This is not a valid QR code link." } as const;

export async function scanAction(qrcodeId: unknown): Promise<CompanionResult<ScanRequester>> {
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  return id.success ? scanQrCode(id.data) : invalidCode;
}

const decisionSchema = z.enum(["CONFIRM", "CANCEL"]);

export async function decideAction(qrcodeId: unknown, decision: unknown): Promise<CompanionResult<null>> {
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  const action = decisionSchema.safeParse(decision);
  if (!id.success || !action.success) return invalidCode;
  return decideQrCode(id.data, action.data);
}

export async function codeFateAction(qrcodeId: unknown): Promise<CompanionResult<QrCodeStatus>> {
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  return id.success ? companionCodeFate(id.data) : invalidCode;
}
