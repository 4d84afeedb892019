import { describe, expect, it, vi } from "vitest";

import { AuthingApiError, AuthingContractError, AuthingUnavailableError, createAuthingClient, type AuthingClient } from "@/lib/qr-login/client/authing/client";
import { diagnoseProviderFailure } from "@/lib/qr-login/client/authing/provider-problems";
import type { TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import type { ProviderDeps } from "@/lib/qr-login/provider/deps";
import { testProviderSettings } from "@/test-support/test-settings";
import { callerProvedSecret } from "@/lib/qr-login/provider/provider-rate-limits";
import { bindingCookie } from "@/lib/qr-login/client/flow/browser-qr-login";
import { redeemQrCode } from "@/lib/qr-login/client/flow/redeem";
import { answerTypes, authingSamples, envelopeFields, type AnswerType } from "@/test-support/authing-answers";

/**
 * The client's readers against what Authing answers: its documents' samples, and each response
 * type of the official Node SDK with every optional field absent, null and present
 * (test-support/authing-answers.ts, read from the SDK's DTOs). No server: the client's
 * transport answers each call with the answer under test.
 */
const settings = testProviderSettings();
const baseUrl = "https://my-app.authing.cn";
// The app in real-Authing mode, for the redemption below (its binding cookie is keyed by NEXTAUTH_SECRET).
vi.stubEnv("AUTHING_APP_HOST", baseUrl);
vi.stubEnv("AUTHING_APP_ID", settings.appId);
vi.stubEnv("AUTHING_APP_SECRET", settings.appSecret);
vi.stubEnv("NEXTAUTH_SECRET", "a-nextauth-secret-of-at-least-32-characters");

/** A client whose provider answers every call with `answer` (or, given a function, its answer for the path). */
function clientAnswering(
  answer: unknown,
  tokenEndpointAuthMethod: TokenEndpointAuthMethod = "client_secret_post",
  appSecret = settings.appSecret,
) {
  const sent: Request[] = [];
  const client = createAuthingClient({
    baseUrl,
    appId: settings.appId,
    appSecret,
    tokenEndpointAuthMethod,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      sent.push(request);
      return Response.json(typeof answer === "function" ? answer(new URL(request.url).pathname) : answer);
    },
  });
  return { client, sent };
}

const qrcodeId = "AAAAAAAAAAAAAAAAAAAAAA";
const readers: Record<string, (client: AuthingClient) => Promise<unknown>> = {
  "/api/v3/gene-qrcode": (client) => client.geneQrCode({}),
  "/api/v3/get-qrcode-status": (client) => client.getQrCodeStatus(qrcodeId),
  "/api/v3/exchange-tokenset-with-qrcode-ticket": (client) => client.exchangeTicket("a-ticket"),
  "/api/v3/signin": (client) => client.signinWithPassword({ account: "alice", password: "a-password" }),
  "/api/v3/get-profile": (client) => client.getProfile("a-user-token"),
  "/api/v3/set-qrcode-status": (client) => client.setQrCodeStatus("a-user-token", qrcodeId, "SCAN"),
};

async function read(path: string, answer: unknown): Promise<Record<string, unknown>> {
  return (await readers[path]!(clientAnswering(answer).client)) as Record<string, unknown>;
}

async function refusal(path: string, answer: unknown): Promise<AuthingContractError> {
  const error = await readers[path]!(clientAnswering(answer).client).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthingContractError);
  return error as AuthingContractError;
}

const success = (data: unknown) => ({ ...envelopeFields.required, data });
const complete = (type: AnswerType) => ({ ...type.required, ...type.optional, ...type.extensions });

type Presence = "absent" | "null" | "present";
const presences: Presence[] = ["absent", "null", "present"];

/** `data` of `type` with every field present but `field`, which is absent, null or present. */
function withField(type: AnswerType, field: string, presence: Presence): Record<string, unknown> {
  const data: Record<string, unknown> = complete(type);
  if (presence === "absent") delete data[field];
  if (presence === "null") data[field] = null;
  return data;
}

/** A value of another type than `value`'s. */
const wrongTypeFor = (value: unknown): unknown => (typeof value === "string" ? 42 : "42");

describe("the client's readers and Authing's own samples (shared/seeds)", () => {
  it.each(authingSamples.map((sample) => [sample.source, sample.path, sample] as const))("%s at %s", async (_source, path, sample) => {
    if (sample.outcome === "read") {
      await expect(read(path, sample.answer)).resolves.toEqual(expect.any(Object));
    } else if (sample.outcome === "not-v3") {
      const error = await read(path, sample.answer).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthingUnavailableError);
      expect(error).not.toBeInstanceOf(AuthingContractError);
      expect((error as Error).message).toContain("no V3 envelope");
      expect(diagnoseProviderFailure(error)?.variables.join()).toContain("AUTHING_APP_HOST");
    } else {
      const error = await refusal(path, sample.answer);
      expect(error.fields[0]).toMatch(new RegExp(`^${sample.outcome.offContractAt.replace(".", "\\.")}: expected object, got string`));
    }
  });

  it("reads the check-qrcode-status sample once its briefUserInfo is a value of the declared type", async () => {
    const sample = authingSamples.find((each) => each.source === "check-qrcode-status.en.md")!.answer as { data: object };
    const briefUserInfo = { displayName: "Alice Chen", photo: "https://files.authing.co/avatar.png" };
    const status = await read("/api/v3/get-qrcode-status", { ...sample, data: { ...sample.data, briefUserInfo } });
    expect(status).toMatchObject({ status: "PENDING", briefUserInfo });
  });
});

describe.each(answerTypes.map((type) => [type.path, type.dto, type] as const))("the answer of %s (%s)", (path, _dto, type) => {
  const optional = Object.keys({ ...type.optional, ...type.extensions });
  const cases = optional.flatMap((field) => presences.map((presence) => [field, presence] as const));

  it.each(cases)("with %s %s", async (field, presence) => {
    const data = withField(type, field, presence);
    const value = (complete(type) as Record<string, unknown>)[field];
    if (presence !== "present" && type.needed?.includes(field)) {
      const error = await refusal(path, success(data));
      expect(error.fields).toEqual([`data.${field}: expected string, got ${presence === "null" ? "null" : "nothing"}`]);
      return;
    }
    const answer = await read(path, success(data));
    if (type.notRead?.includes(field)) expect(answer).not.toHaveProperty(field);
    else if (presence === "present") expect(answer[field]).toEqual(value);
    else expect(answer[field]).toBe(type.absentAs);
    // What the DTO requires is read as it came.
    for (const [name, required] of Object.entries(type.required)) {
      if (!type.notRead?.includes(name)) expect(answer[name]).toEqual(required);
    }
  });

  it.each(Object.keys(type.required).filter((field) => !type.notRead?.includes(field)))(
    "refuses a wrong type or no value for the required %s, and names it",
    async (field) => {
      const wrong = await refusal(path, success({ ...complete(type), [field]: wrongTypeFor(type.required[field]) }));
      expect(wrong.fields[0]).toMatch(new RegExp(`^data\\.${field}: expected `));
      const missing = await refusal(path, success(withField(type, field, "absent")));
      expect(missing.fields[0]).toMatch(new RegExp(`^data\\.${field}: expected .*, got nothing$`));
    },
  );

  it.each(presences)("reads the envelope's apiCode and requestId %s, and ignores fields nobody knows", async (presence) => {
    const envelope: Record<string, unknown> = { ...envelopeFields.required, data: { ...complete(type), fieldNobodyKnows: { a: 1 } }, traceId: "x" };
    if (presence !== "absent") Object.assign(envelope, presence === "null" ? { apiCode: null, requestId: null } : envelopeFields.optional);
    const answer = await read(path, envelope);
    expect(answer).not.toHaveProperty("fieldNobodyKnows");
    expect(Object.keys(answer).every((key) => key in complete(type))).toBe(true);
  });
});

describe("an error answer's envelope", () => {
  it.each([
    ["null", { apiCode: null, requestId: null }, undefined, undefined],
    ["absent", {}, undefined, undefined],
    ["present", envelopeFields.optional, envelopeFields.optional.apiCode, envelopeFields.optional.requestId],
  ] as const)("with apiCode and requestId %s is the provider's business error", async (_presence, fields, apiCode, requestId) => {
    const error = await read("/api/v3/get-qrcode-status", { statusCode: 404, message: "二维码不存在", ...fields, data: null }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthingApiError);
    expect(error).toMatchObject({ statusCode: 404, apiCode, requestId });
  });

  it("with an apiCode of the wrong type is outside the contract, at apiCode", async () => {
    const error = await refusal("/api/v3/get-qrcode-status", { statusCode: 404, message: "not found", apiCode: "2241", data: null });
    expect(error.fields).toEqual(["apiCode: expected number, got string"]);
  });
});

describe("an answer outside the contract", () => {
  it("is logged with the field and why, without a token or ticket value, and without blaming AUTHING_APP_HOST", async () => {
    const status = await refusal("/api/v3/get-qrcode-status", {
      ...envelopeFields.required,
      requestId: "req-1",
      data: { status: "FOO", ticket: "tkt-SECRET-value" },
    });
    expect(status.fields).toEqual(['data.status: expected PENDING|SCANNED|AUTHORIZED|CANCELLED|EXPIRED|ERROR, got "FOO"']);
    const exchange = await refusal("/api/v3/exchange-tokenset-with-qrcode-ticket", success({ access_token: "tok-SECRET-value", id_token: 7, token_type: "Bearer", expire_in: "7200" }));
    expect(exchange.fields).toEqual(["data.id_token: expected string, got number", "data.expire_in: expected number, got string"]);

    for (const error of [status, exchange]) {
      const problem = diagnoseProviderFailure(error);
      expect(problem?.kind).toBe("off-contract");
      expect(problem?.variables).toEqual([]);
      expect(problem?.log).toContain(`${baseUrl}/api/v3/`);
      expect(problem?.log).toContain(error.fields[0]);
      expect(problem?.log).not.toContain("AUTHING_APP_HOST");
      expect(problem?.log).not.toMatch(/SECRET/);
    }
    expect(diagnoseProviderFailure(status)?.log).toContain("requestId req-1");
  });

  it("names the nested field of a token set in a status", async () => {
    const error = await refusal("/api/v3/get-qrcode-status", success({ status: "AUTHORIZED", ticket: "t", tokenSet: { token_type: "Bearer", expire_in: null } }));
    expect(error.fields).toEqual(["data.tokenSet.expire_in: expected number, got null"]);
  });
});

describe("gene-qrcode: the app proves its secret as the provider's callerProvedSecret accepts", () => {
  const answer = success({ qrcodeId, url: `${baseUrl}/qr.png` });
  const context = { ip: "198.51.100.7", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0" };

  it.each([
    ["client_secret_post", settings.appSecret, "body"],
    ["client_secret_basic", settings.appSecret, "header"],
    ["none", settings.appSecret, "body"],
    ["none", "", "nothing"],
  ] as const)("with method %s (secret %j): %s", async (method, appSecret, where) => {
    const { client, sent } = clientAnswering(answer, method, appSecret);
    await client.geneQrCode({ context });
    const request = sent[0]!;
    const body = (await request.clone().json()) as { context?: unknown; client_id?: string; client_secret?: string };
    expect(body.context).toEqual(context);
    expect(body.client_secret !== undefined).toBe(where === "body");
    expect(request.headers.get("authorization")?.startsWith("Basic ") ?? false).toBe(where === "header");

    // The provider believes it whatever its own token endpoint method, and only with the right secret.
    for (const tokenEndpointAuthMethod of ["none", "client_secret_post", "client_secret_basic"] as const) {
      const deps = { settings: testProviderSettings({ tokenEndpointAuthMethod }) } as ProviderDeps;
      expect(callerProvedSecret(deps, request, body)).toBe(where !== "nothing");
      const otherSecret = { settings: testProviderSettings({ tokenEndpointAuthMethod, appSecret: "another-secret-0123456789" }) } as ProviderDeps;
      expect(callerProvedSecret(otherSecret, request, body)).toBe(false);
    }
  });
});

describe("redeeming a code with what the reader hands on", () => {
  const cookie = bindingCookie([{ qrcodeId, imageUrl: `${baseUrl}/qr.png`, expiresAt: Date.now() + 120_000 }], false).value;
  const exchanged = { ...answerTypes.find((type) => type.path === "/api/v3/exchange-tokenset-with-qrcode-ticket")!.required, id_token: null, access_token: "tok" };

  it("signs nobody in on AUTHORIZED with a null ticket, and exchanges nothing", async () => {
    const { client, sent } = clientAnswering(success({ status: "AUTHORIZED", ticket: null, briefUserInfo: null, tokenSet: null }));
    await expect(redeemQrCode(qrcodeId, cookie, client)).resolves.toEqual({ ok: false, reason: "not_authorized" });
    expect(sent.map((request) => new URL(request.url).pathname)).toEqual(["/api/v3/get-qrcode-status"]);
  });

  it("signs nobody in with an exchanged token set whose id_token is null: the service is unavailable, and the log says why", async () => {
    const answers: Record<string, unknown> = {
      "/api/v3/get-qrcode-status": success({ status: "AUTHORIZED", ticket: "a-ticket", briefUserInfo: null, tokenSet: null }),
      "/api/v3/exchange-tokenset-with-qrcode-ticket": success(exchanged),
    };
    const { client, sent } = clientAnswering((path: string) => answers[path]);
    await expect(redeemQrCode(qrcodeId, cookie, client)).resolves.toEqual({ ok: false, reason: "provider_unavailable" });
    expect(sent).toHaveLength(2);
  });
});
