/**
 * Authing's V2 QR endpoints as its Web SDK (authing-js-sdk 4.x) and phone SDKs call them:
 * what the embedded provider accepts and answers. Absent values are `null`,
 * as in Authing's V2 docs.
 */
import { z } from "zod";

import { geneQrCodeRequestSchema, qrCodeIdSchema, ticketSchema } from "@/lib/qr-login/client/authing/schemas";

const v3Gene = geneQrCodeRequestSchema.shape;

/** A field Authing's clients may leave out or send as null: both mean "not given". */
const absentOrNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

export const v2GeneRequestSchema = z.object({
  scene: z.literal("APP_AUTH", { error: 'scene must be "APP_AUTH": the embedded provider serves scanning with your own app only' }),
  /** Who is asking, shown on the phone: taken only from a caller that proves the app secret, as on /api/v3. */
  context: absentOrNull(v3Gene.context.unwrap()),
  /** The code's custom data (the SDK's `customData`). */
  params: absentOrNull(v3Gene.customData.unwrap()),
  // Accepted and without effect here: no user custom data, no logo to merge, one identity source.
  withCustomData: absentOrNull(z.boolean()),
  autoMergeQrCode: absentOrNull(z.boolean()),
  extIdpConnId: absentOrNull(z.string().max(256)),
  client_id: v3Gene.client_id,
  client_secret: v3Gene.client_secret,
});
export type V2GeneRequest = z.infer<typeof v2GeneRequestSchema>;

export const v2CheckQuerySchema = z.object({ random: qrCodeIdSchema });

export const v2PhoneRequestSchema = z.object({ random: qrCodeIdSchema });

export const v2UserInfoRequestSchema = z.object({
  ticket: ticketSchema,
  /** Proof of the app secret (or HTTP Basic), required unless QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER. */
  client_id: v3Gene.client_id,
  client_secret: v3Gene.client_secret,
});

/** Authing's numeric statuses; the SDK's poller also knows 4 and 5, which nothing here produces. */
export const V2_STATUS = { PENDING: 0, SCANNED: 1, AUTHORIZED: 2, CANCELLED: 3, EXPIRED: -1, ERROR: 5 } as const;

export type V2GeneData = { random: string; url: string; expiresIn: number };

/** The user as Authing's V2 `userinfo` answers it, `token` being an access token of this provider. */
export type V2User = {
  id: string;
  userPoolId: string;
  username: string | null;
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
  nickname: string | null;
  photo: string | null;
  token: string;
  tokenExpiredAt: string;
  createdAt: string;
  updatedAt: string;
};

export type V2StatusData = {
  random: string;
  status: (typeof V2_STATUS)[keyof typeof V2_STATUS];
  /** After the scan: nickname and photo; with returnFullUserInfo, at the confirmation: the V2User. */
  userInfo: { nickname: string; photo: string | null } | V2User | null;
  ticket: string | null;
  scannedUserId: string | null;
};

export type V2PhoneData = { random: string; status: 1 | 2 | 3; description: string };
