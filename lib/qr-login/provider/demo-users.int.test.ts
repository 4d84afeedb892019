import { describe, expect, it } from "vitest";

import { sharedAppServer } from "@/test-support/shared-app-server";

import { clientAuth, signin, v3 } from "../../../test-support/test-client";

const signinAnswer = (server: { origin: string }, account: string) =>
  v3(server, "/api/v3/signin", {
    body: { connection: "PASSWORD", passwordPayload: { account, password: "scan-me-in" }, ...clientAuth("client_secret_post").body },
  });

describe("demo users, seeded when asked (SEED_DEMO_USERS=true, the test servers' default)", () => {
  const server = sharedAppServer();

  it("lets alice and bob sign in with the demo password", async () => {
    for (const account of ["alice", "bob"]) {
      expect((await signin(server, account, "client_secret_post")).access_token).toBeTruthy();
    }
  });
});

describe("demo users switched off (SEED_DEMO_USERS=false)", () => {
  const server = sharedAppServer({ SEED_DEMO_USERS: "false", ALLOW_SIGNUP: "true" });

  it("has no alice or bob, and still signs up and signs in real users", async () => {
    for (const account of ["alice", "bob"]) {
      expect((await signinAnswer(server, account)).body).toMatchObject({ statusCode: 401, data: null });
    }
    const signup = await v3(server, "/api/v3/signup", {
      body: { connection: "PASSWORD", passwordPayload: { username: "alice", password: "scan-me-in" }, profile: { nickname: "Real Alice" } },
    });
    expect(signup.body).toMatchObject({ statusCode: 200, data: { username: "alice", nickname: "Real Alice" } });
    expect((await signinAnswer(server, "alice")).body.statusCode).toBe(200);
  });
});
