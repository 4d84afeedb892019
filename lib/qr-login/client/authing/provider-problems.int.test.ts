import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAuthingClient } from "@/lib/qr-login/client/authing/client";
import { diagnoseProviderFailure } from "@/lib/qr-login/client/authing/provider-problems";
import { freePort } from "@/test-support/app-server";

/** A provider that answers each path as the test says. */
const answers: Record<string, { status: number; body: string }> = {
  "/api/v3/gene-qrcode": { status: 404, body: "<html>Not Found</html>" },
  "/api/v3/exchange-tokenset-with-qrcode-ticket": {
    status: 200,
    body: JSON.stringify({ statusCode: 401, message: "Client authentication failed", apiCode: 1234, data: null }),
  },
  "/api/v3/get-qrcode-status": { status: 200, body: JSON.stringify({ statusCode: 404, message: "二维码不存在", apiCode: 2241, data: null }) },
};
let server: http.Server;
let origin: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const answer = answers[new URL(request.url ?? "/", "http://x").pathname] ?? { status: 404, body: "" };
    response.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const clientAt = (baseUrl: string) =>
  createAuthingClient({ baseUrl, appId: "my-app", appSecret: "a-wrong-secret-of-16+", tokenEndpointAuthMethod: "client_secret_post", timeoutMs: 3_000 });

describe("provider failures that are the server's configuration", () => {
  it("names the full URL, the cause and AUTHING_APP_HOST when the provider cannot be reached", async () => {
    const baseUrl = `http://127.0.0.1:${await freePort()}`;
    const error = await clientAt(baseUrl).geneQrCode({}).catch((caught: unknown) => caught);
    const problem = diagnoseProviderFailure(error);
    expect(problem?.kind).toBe("unreachable");
    expect(problem?.log).toContain(`${baseUrl}/api/v3/gene-qrcode`);
    expect(problem?.log).toContain("ECONNREFUSED");
    expect(problem?.log).toContain("AUTHING_APP_HOST");
  });

  it("calls a 404 without an API answer a wrong AUTHING_APP_HOST", async () => {
    const error = await clientAt(origin).geneQrCode({}).catch((caught: unknown) => caught);
    const problem = diagnoseProviderFailure(error);
    expect(problem?.kind).toBe("not-found");
    expect(problem?.log).toContain(`${origin}/api/v3/gene-qrcode`);
    expect(problem?.log).toContain("HTTP 404");
    expect(problem?.log).toContain("AUTHING_APP_HOST");
  });

  it("calls a refused exchange the app's credentials, and names the variables to check", async () => {
    const error = await clientAt(origin).exchangeTicket("a-ticket").catch((caught: unknown) => caught);
    const problem = diagnoseProviderFailure(error, { clientAuthenticated: true });
    expect(problem?.kind).toBe("credentials-refused");
    expect(problem?.log).toContain(`${origin}/api/v3/exchange-tokenset-with-qrcode-ticket`);
    for (const variable of ["AUTHING_APP_SECRET", "AUTHING_TOKEN_ENDPOINT_AUTH_METHOD", "AUTHING_APP_ID"]) {
      expect(problem?.log).toContain(variable);
    }
    expect(problem?.log).not.toContain("a-wrong-secret-of-16+");
  });

  it("leaves a code the provider does not know to the page: that is not configuration", async () => {
    const error = await clientAt(origin).getQrCodeStatus("AAAAAAAAAAAAAAAAAAAAAA").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 404 });
    expect(diagnoseProviderFailure(error)).toBeUndefined();
  });
});
