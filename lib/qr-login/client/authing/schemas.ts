/**
 * Authing's V3 QR-login wire contract (shared/spec/authing-v3-qr-api.md) as zod schemas.
 * The embedded provider validates what it is sent, and types what it sends, with the strict
 * ones; the client reads the provider's answers with the tolerant readers at the end ("Reading
 * a provider's answers"). Types are inferred from here and nowhere written twice.
 */
import { z } from "zod";

import { MAX_STATUS_WAIT_SECONDS, tokenEndpointAuthMethodSchema } from "@/lib/qr-login/platform/authing-wire";

export { MAX_STATUS_WAIT_SECONDS, tokenEndpointAuthMethodSchema };

/** Every `/api/v3/*` answer, success or not, as the embedded provider sends it (read with envelopeAnswerSchema). */
export type Envelope<T> = {
  statusCode: number;
  message: string;
  apiCode?: number;
  requestId?: string;
  data: T;
};

/** Business error codes this project gives (Authing's own where one is known). */
export const apiCodes = {
  qrCodeNotFound: 2241,
  // The embedded provider's own codes (9xxx) for cases whose Authing code is not public.
  invalidRequest: 9001,
  appNotFound: 9002,
  clientAuthFailed: 9003,
  invalidUserToken: 9004,
  wrongCredentials: 9005,
  userExists: 9006,
  qrCodeExpired: 9010,
  qrCodeWrongState: 9011,
  qrCodeScannedByAnother: 9012,
  ticketInvalid: 9013,
  methodNotAllowed: 9020,
  bodyTooLarge: 9021,
  rateLimited: 9022,
  signupDisabled: 9023,
  // Passkeys (an extension of the embedded provider, for its companion).
  passkeysOff: 9030,
  passkeyRequired: 9031,
  passkeyInvalid: 9032,
} as const;

// ---------------------------------------------------------------------------------------------
// QR codes

export const qrCodeStatusSchema = z.enum(["PENDING", "SCANNED", "AUTHORIZED", "CANCELLED", "EXPIRED", "ERROR"]);
export type QrCodeStatus = z.infer<typeof qrCodeStatusSchema>;

export const qrCodeActionSchema = z.enum(["SCAN", "CONFIRM", "CANCEL"]);
export type QrCodeAction = z.infer<typeof qrCodeActionSchema>;

/** 128+ random bits, base64url or hex: anything else cannot be one of ours or Authing's. */
export const qrCodeIdSchema = z
  .string()
  .min(1, "qrcodeId is required")
  .max(128, "qrcodeId is too long")
  .regex(/^[A-Za-z0-9_-]+$/, "qrcodeId has characters an id never has");

export const ticketSchema = z.string().min(1, "ticket is required").max(512, "ticket is too long");

/** Free-form JSON objects the web side may attach to a code; kept small. */
export const MAX_ATTACHED_JSON_BYTES = 4096;
/** The embedded provider keeps less from a caller that does not prove the app secret. */
export const MAX_PUBLIC_ATTACHED_JSON_BYTES = 512;
// Bytes, not characters: 4,096 CJK characters would be 12 KiB.
export const jsonByteLength = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
const smallJsonObjectSchema = z
  .record(z.string(), z.unknown())
  .refine((value) => jsonByteLength(value) <= MAX_ATTACHED_JSON_BYTES, `must be at most ${MAX_ATTACHED_JSON_BYTES} bytes of JSON`);

export const geneQrCodeRequestSchema = z.object({
  type: z.literal("MOBILE_APP", { error: 'type must be "MOBILE_APP"' }),
  customData: smallJsonObjectSchema.optional(),
  context: smallJsonObjectSchema.optional(),
  /** This project's extension: answer a per-code `pollSecret` that guards the ticket. */
  withPollSecret: z.boolean().optional(),
  /** Client authentication, optional: only an app that proves its secret may say who is asking (`context`). */
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(512).optional(),
});
export type GeneQrCodeRequest = z.infer<typeof geneQrCodeRequestSchema>;

export const geneQrCodeDataSchema = z.object({ qrcodeId: z.string(), url: z.string(), pollSecret: z.string().optional() });

export type GeneQrCodeData = z.infer<typeof geneQrCodeDataSchema>;

/**
 * What the web side attaches as `context` when it creates a code, so that the phone can show
 * what it is approving. Authing carries `context` through; the embedded provider hands it back
 * to the scanner (see setQrCodeStatusDataSchema).
 */
export const requesterContextSchema = z.object({
  ip: z.string().max(64).optional(),
  userAgent: z.string().max(512).optional(),
});
export type RequesterContext = z.infer<typeof requesterContextSchema>;

export const briefUserInfoSchema = z.object({ displayName: z.string(), photo: z.string() });
export type BriefUserInfo = z.infer<typeof briefUserInfoSchema>;

/** LoginTokenResponseDataDto. Note Authing's spelling `expire_in`. */
export const tokenSetSchema = z.object({
  scope: z.string().optional(),
  access_token: z.string().optional(),
  id_token: z.string().optional(),
  refresh_token: z.string().optional(),
  token_type: z.string(),
  expire_in: z.number(),
});
export type TokenSet = z.infer<typeof tokenSetSchema>;

export const qrCodeStatusDataSchema = z.object({
  status: qrCodeStatusSchema,
  ticket: z.string().optional(),
  briefUserInfo: briefUserInfoSchema.optional(),
  tokenSet: tokenSetSchema.optional(),
  /** This project's extension: the wait was not held (too many are); ask again after this long. */
  pollAfterMs: z.number().int().positive().optional(),
});
export type QrCodeStatusData = z.infer<typeof qrCodeStatusDataSchema>;


/**
 * `waitSeconds` and `knownStatus` are this project's extension (real Authing ignores unknown
 * parameters): hold the answer until the status differs from `knownStatus`, or the wait ends.
 */
export const qrCodeStatusQuerySchema = z.object({
  qrcodeId: qrCodeIdSchema,
  waitSeconds: z.coerce.number().int().min(0).max(MAX_STATUS_WAIT_SECONDS).optional(),
  knownStatus: qrCodeStatusSchema.optional(),
});
export type QrCodeStatusQuery = z.infer<typeof qrCodeStatusQuerySchema>;

export const setQrCodeStatusRequestSchema = z.object({
  qrcodeId: qrCodeIdSchema,
  action: qrCodeActionSchema,
});
export type SetQrCodeStatusRequest = z.infer<typeof setQrCodeStatusRequestSchema>;

/**
 * `{ success: true }` per the contract. On SCAN the embedded provider also returns what asked
 * for the code (an extension: Authing's SDKs ignore fields they do not know).
 */
export const setQrCodeStatusDataSchema = z.object({
  success: z.literal(true),
  requester: z
    .object({
      context: requesterContextSchema,
      requestedAt: z.string(),
      expiresAt: z.string(),
    })
    .optional(),
});
export type SetQrCodeStatusData = z.infer<typeof setQrCodeStatusDataSchema>;

export const exchangeTicketRequestSchema = z.object({
  ticket: ticketSchema,
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(512).optional(),
});
export type ExchangeTicketRequest = z.infer<typeof exchangeTicketRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Users

const passwordSchema = z.string().min(1, "password is required").max(256, "password is too long");
const usernameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, "username may use letters, digits, _ . and - only");
const emailSchema = z.email().max(254);

export const signinRequestSchema = z.object({
  connection: z.literal("PASSWORD", { error: 'connection must be "PASSWORD"' }),
  passwordPayload: z
    .object({
      password: passwordSchema,
      account: z.string().trim().min(1).max(254).optional(),
      username: z.string().trim().min(1).max(64).optional(),
      email: z.string().trim().min(1).max(254).optional(),
      phone: z.string().trim().min(1).max(32).optional(),
    })
    .refine(
      (payload) => Boolean(payload.account ?? payload.username ?? payload.email ?? payload.phone),
      "one of account, username, email or phone is required",
    ),
  options: z.record(z.string(), z.unknown()).optional(),
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(512).optional(),
});
export type SigninRequest = z.infer<typeof signinRequestSchema>;

export const signupRequestSchema = z.object({
  connection: z.literal("PASSWORD", { error: 'connection must be "PASSWORD"' }),
  passwordPayload: z
    .object({
      password: z.string().min(8, "password must be at least 8 characters").max(256),
      username: usernameSchema.optional(),
      email: emailSchema.optional(),
    })
    .refine((payload) => Boolean(payload.username ?? payload.email), "username or email is required"),
  profile: z
    .object({
      nickname: z.string().trim().max(64).optional(),
      photo: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    })
    .optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;

export const userProfileSchema = z.object({
  userId: z.string(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  nickname: z.string().nullable(),
  photo: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserProfile = z.infer<typeof userProfileSchema>;

// ---------------------------------------------------------------------------------------------
// OIDC

/** The standard OAuth token response of `/oidc/token` (note: `expires_in` here). */
export const oidcTokenResponseSchema = z.object({
  access_token: z.string(),
  id_token: z.string().optional(),
  refresh_token: z.string().optional(),
  token_type: z.string(),
  expires_in: z.number(),
  scope: z.string().optional(),
});
export type OidcTokenResponse = z.infer<typeof oidcTokenResponseSchema>;

export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** The claims the app relies on in an `id_token` (after its signature is verified). */
export const idTokenClaimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.string(),
  iat: z.number(),
  exp: z.number(),
  name: z.string().nullish(),
  nickname: z.string().nullish(),
  picture: z.string().nullish(),
  email: z.string().nullish(),
});
export type IdTokenClaims = z.infer<typeof idTokenClaimsSchema>;

/** `/oidc/me`: `sub` plus whatever profile claims the provider has. */
export const userInfoSchema = z
  .object({ sub: z.string() })
  .catchall(z.unknown());
export type UserInfo = z.infer<typeof userInfoSchema>;

// ---------------------------------------------------------------------------------------------
// Reading a provider's answers (the client's side)
//
// Authing's DTOs (authing-node-sdk/src/models) mark many fields optional without saying whether
// an absent one is omitted or `null`. The client reads `null` as absent, ignores fields it does
// not know (z.object drops them), and checks the type of every field it declares; what it needs
// for a sign-in it requires. The types are the ones above: nothing past the client sees a null.

/** An optional field of an answer: absent, `null` (read as absent), or of its type. */
const absentOrNull = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional());

/** An optional profile field, absent or `null`: read as `null`, as UserProfile has it. */
const nullWhenAbsent = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? null);

/** Every `/api/v3/*` answer. GeneQRCodeRespDto, CheckQRCodeStatusRespDto, LoginTokenRespDto, UserSingleRespDto. */
export const envelopeAnswerSchema = z.object({
  statusCode: z.number().int(),
  message: z.string(),
  apiCode: absentOrNull(z.number().int()),
  requestId: absentOrNull(z.string()),
  data: z.unknown(),
});

/** GeneQRCodeDataDto (its `customLogoUrl` is for mini-program codes, and not read). */
export const geneQrCodeAnswerSchema = z.object({ qrcodeId: z.string(), url: z.string(), pollSecret: absentOrNull(z.string()) });

/** LoginTokenResponseDataDto: only token_type and expire_in are required. */
export const tokenSetAnswerSchema = z.object({
  scope: absentOrNull(z.string()),
  access_token: absentOrNull(z.string()),
  id_token: absentOrNull(z.string()),
  refresh_token: absentOrNull(z.string()),
  token_type: z.string(),
  expire_in: z.number(),
});

/**
 * The exchange's token set, for a sign-in: without an access token and an id_token (whose
 * verified claims say who signed in) there is none, so both are required here.
 */
export const signInTokenSetAnswerSchema = tokenSetAnswerSchema.extend({ access_token: z.string(), id_token: z.string() });

/**
 * CheckQRCodeStatusDataDto. A missing ticket on AUTHORIZED is read as no ticket, and nothing
 * signs in without one (redeem refuses): the embedded provider withholds it from a caller
 * without the code's poll secret, and once it was redeemed.
 */
export const qrCodeStatusAnswerSchema = z.object({
  status: qrCodeStatusSchema,
  ticket: absentOrNull(z.string()),
  briefUserInfo: absentOrNull(briefUserInfoSchema),
  tokenSet: absentOrNull(tokenSetAnswerSchema),
  pollAfterMs: absentOrNull(z.number().int().positive()),
});

/** IsSuccessDto, and the embedded provider's `requester` (absent at Authing). */
export const setQrCodeStatusAnswerSchema = z.object({
  success: z.literal(true),
  requester: absentOrNull(
    z.object({
      context: z.object({ ip: absentOrNull(z.string().max(64)), userAgent: absentOrNull(z.string().max(512)) }),
      requestedAt: z.string(),
      expiresAt: z.string(),
    }),
  ),
});

/**
 * The embedded provider's passkey extension: a passkey as it is listed, and
 * the options handed as they are to the browser's WebAuthn call (which checks them itself).
 */
export const passkeySummaryAnswerSchema = z.object({
  id: z.string(),
  transports: z.array(z.string()),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});
export type PasskeySummaryAnswer = z.infer<typeof passkeySummaryAnswerSchema>;
export const passkeyOptionsAnswerSchema = z.object({ challenge: z.string() }).passthrough();

/** UserDto: the fields the client reads (the rest, required or not, are not read). */
export const userProfileAnswerSchema = z.object({
  userId: z.string(),
  username: nullWhenAbsent(z.string()),
  email: nullWhenAbsent(z.string()),
  nickname: nullWhenAbsent(z.string()),
  photo: nullWhenAbsent(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The standard OAuth token response of `/oidc/token`, read as tolerantly. */
export const oidcTokenAnswerSchema = z.object({
  access_token: z.string(),
  id_token: absentOrNull(z.string()),
  refresh_token: absentOrNull(z.string()),
  token_type: z.string(),
  expires_in: z.number(),
  scope: absentOrNull(z.string()),
});
