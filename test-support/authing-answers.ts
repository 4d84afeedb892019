/**
 * What Authing answers to the calls the QR login client makes, for the reader's contract test
 * (lib/qr-login/client/authing/reader-contract.test.ts) and the rewriting proxy of the real-Authing e2e
 * (test-support/rewriting-proxy.ts).
 *
 * `answerTypes` is read from the official Node SDK's DTOs (node_modules/authing-node-sdk 4.0.1,
 * src/models/<dto>.ts, cited per row): which fields each declares required and which optional
 * (`?:`), with a value of the declared type for each. `authingSamples` are the sample answers
 * of Authing's own documents in the shared seeds, copied here so that no test reads outside
 * the repository.
 */

/** GeneQRCodeRespDto.ts, CheckQRCodeStatusRespDto.ts, LoginTokenRespDto.ts, UserSingleRespDto.ts, IsSuccessRespDto.ts: the same envelope. */
export const envelopeFields = {
  required: { statusCode: 200, message: "Operation successful" },
  optional: { apiCode: 2241, requestId: "934108e5-9fbf-4d24-8da1-c330328abd6c" },
} as const;

export type AnswerType = {
  /** The DTO file of `data`, under node_modules/authing-node-sdk/src/models/. */
  dto: string;
  /** The V3 path whose answer this is. */
  path: string;
  required: Record<string, unknown>;
  optional: Record<string, unknown>;
  /** Declared by the DTO, not read by the client: it never reaches the client's callers. */
  notRead?: string[];
  /** Optional in the DTO, but needed for what the client does with this answer: refused when absent. */
  needed?: string[];
  /** How the client hands an absent optional field on: undefined, or null (UserProfile's fields). */
  absentAs?: null;
  /** This project's extensions to `data` (the embedded provider's), optional like the DTO's. */
  extensions?: Record<string, unknown>;
};

const tokenSet = {
  required: { token_type: "Bearer", expire_in: 7200 },
  optional: { scope: "openid profile", access_token: "eyJhbGciOiJSxxxxx", id_token: "eyJhbGxxxx", refresh_token: "WPsGJbvpBjqXz6IJIr1UHKyrdVF" },
};

export const answerTypes: AnswerType[] = [
  {
    dto: "GeneQRCodeDataDto.ts",
    path: "/api/v3/gene-qrcode",
    required: { qrcodeId: "5e061366445c9985e5bf890a", url: "https://usercontents.authing.co/qrcode/5e061366445c9985e5bf890a.png" },
    optional: { customLogoUrl: "https://files.authing.co/logo.png" },
    notRead: ["customLogoUrl"],
    extensions: { pollSecret: "a-poll-secret" },
  },
  {
    // CheckQRCodeStatusDataDto.ts, with QRCodeStatusBriefUserInfoDto.ts and LoginTokenResponseDataDto.ts nested.
    dto: "CheckQRCodeStatusDataDto.ts",
    path: "/api/v3/get-qrcode-status",
    required: { status: "AUTHORIZED" },
    optional: {
      ticket: "a-ticket-of-authing",
      briefUserInfo: { displayName: "Alice Chen", photo: "https://files.authing.co/authing-console/default-user-avatar.png" },
      tokenSet: { ...tokenSet.required, ...tokenSet.optional },
    },
    extensions: { pollAfterMs: 2000 },
  },
  {
    dto: "LoginTokenResponseDataDto.ts",
    path: "/api/v3/exchange-tokenset-with-qrcode-ticket",
    ...tokenSet,
    needed: ["access_token", "id_token"],
  },
  { dto: "LoginTokenResponseDataDto.ts", path: "/api/v3/signin", ...tokenSet },
  {
    dto: "UserDto.ts",
    path: "/api/v3/get-profile",
    required: {
      userId: "62a8b4e0d0a1b2c3d4e5f607",
      createdAt: "2022-06-14T12:00:00.000Z",
      updatedAt: "2022-06-14T12:00:00.000Z",
      status: "Activated",
      workStatus: "Active",
      gender: "U",
      emailVerified: false,
      phoneVerified: false,
      userSourceType: "register",
    },
    optional: {
      username: "alice",
      email: "alice@example.com",
      nickname: "Alice Chen",
      photo: "https://files.authing.co/authing-console/default-user-avatar.png",
      phone: "13800000000",
      name: "Alice",
      loginsCount: 3,
      lastLogin: "2022-06-14T12:00:00.000Z",
      customData: { team: "web" },
      identities: [],
    },
    notRead: ["status", "workStatus", "gender", "emailVerified", "phoneVerified", "userSourceType", "phone", "name", "loginsCount", "lastLogin", "customData", "identities"],
    absentAs: null,
  },
  {
    dto: "IsSuccessDto.ts",
    path: "/api/v3/set-qrcode-status",
    required: { success: true },
    optional: {},
    extensions: {
      requester: { context: { ip: "198.51.100.7", userAgent: "Mozilla/5.0" }, requestedAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-01T00:02:00.000Z" },
    },
  },
];

export type AuthingSample = {
  /** The seed document it was copied from (shared/seeds/). */
  source: string;
  /** The V3 path a client would read it at. */
  path: string;
  answer: unknown;
  /** What the client makes of it: read, refused at a field, or not a V3 answer at all. */
  outcome: "read" | { offContractAt: string } | "not-v3";
};

export const authingSamples: AuthingSample[] = [
  {
    source: "check-qrcode-status.en.md",
    path: "/api/v3/get-qrcode-status",
    // As printed, except that the quotes inside briefUserInfo's text are escaped (the document's
    // JSON does not parse): the generator wrote the field's description where its value goes.
    answer: {
      statusCode: 200,
      message: "Operation successful",
      requestId: "934108e5-9fbf-4d24-8da1-c330328abd6c",
      data: {
        status: "PENDING",
        briefUserInfo:
          'Returned when the QR code status is scanned, authorized, or deauthorized. If "Web polling interface returns complete user information" is not enabled in the console application security - general security - login security - APP scan code login Web security (it is disabled by default), the interface will only return the user\'s avatar and display name. The front end can render the user\'s nickname and avatar based on this, giving the user a prompt that the code has been successfully scanned. ',
        tokenSet: {
          scope: "openid profile",
          access_token: "eyJhbGciOiJSxxxxx",
          id_token: "eyJhbGxxxx",
          refresh_token: "WPsGJbvpBjqXz6IJIr1UHKyrdVF",
          token_type: "bearer",
          expire_in: 7200,
        },
      },
    },
    outcome: { offContractAt: "data.briefUserInfo" },
  },
  {
    source: "exchange-tokenset-with-qrcode-ticket.zh.md",
    path: "/api/v3/exchange-tokenset-with-qrcode-ticket",
    answer: {
      statusCode: 200,
      message: "操作成功",
      requestId: "934108e5-9fbf-4d24-8da1-c330328abd6c",
      data: {
        access_token: "eyJhbGciOiJSxxxxx",
        id_token: "eyJhbGxxxx",
        refresh_token: "WPsGJbvpBjqXz6IJIr1UHKyrdVF",
        token_type: "bearer",
        expire_in: 7200,
      },
    },
    outcome: "read",
  },
  // web-side-sdk.zh.md documents the V2 endpoints ({code, message, data}): at a V3 path they are
  // no V3 answer, which is a host (or path) problem, not a field's.
  {
    source: "web-side-sdk.zh.md",
    path: "/api/v3/gene-qrcode",
    answer: {
      code: 200,
      message: "生成二维码成功",
      data: { qrcodeId: "5e061366445c9985e5bf890a", qrcodeUrl: "https://usercontents.authing.co/qrcode/5e061366445c9985e5bf890a.png" },
    },
    outcome: "not-v3",
  },
  {
    source: "web-side-sdk.zh.md",
    path: "/api/v3/get-qrcode-status",
    answer: {
      code: 200,
      message: "查询二维码状态成功",
      data: {
        qrcodeId: "5e061489445c9985e5bf890d",
        scanned: false,
        expired: false,
        success: false,
        canceled: false,
        status: 0,
        userInfo: {},
        ticket: "",
        description: "二维码还没有被扫描",
      },
    },
    outcome: "not-v3",
  },
  { source: "web-side-sdk.zh.md", path: "/api/v3/get-qrcode-status", answer: { code: 2241, message: "二维码不存在", data: null }, outcome: "not-v3" },
  {
    source: "web-side-sdk.zh.md",
    path: "/api/v3/exchange-tokenset-with-qrcode-ticket",
    answer: {
      code: 200,
      message: "换取用户信息成功",
      data: {
        _id: "5e05bbf2d51b3761d5c71070",
        email: "983132@qq.com",
        emailVerified: false,
        oauth: "",
        registerMethod: "default:username-password",
        username: "983132@qq.com",
        nickname: "",
        company: "",
        photo: "https://usercontents.authing.co/authing-avatar.png",
        token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJkYXRhIjp7ImVtYWlsIjoiOTgzMTMyQHFxLmNvbSIsImlxxxxxxxxx",
        phone: "",
        tokenExpiredAt: "2020-01-11T08:08:18.000Z",
        loginsCount: 1,
        lastIP: "::1",
        signedUp: "2019-12-27T08:08:18.115Z",
        blocked: false,
        isDeleted: false,
      },
    },
    outcome: "not-v3",
  },
];
