import "server-only";

import { randomBytes } from "node:crypto";

import { apiCodes, type BriefUserInfo, type SigninRequest, type SignupRequest, type UserProfile } from "@/lib/qr-login/client/authing/schemas";
import { SIGNIN_DEVICE_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import { limitPasswordSignIn, limitSignUp } from "@/lib/qr-login/provider/guessing-limits";
import type { Store, UserRecord } from "@/lib/qr-login/provider/store/types";

import { initialsAvatar } from "./avatars";
import { demoUsers } from "./demo-users";
import type { ProviderDeps } from "./deps";
import { ProviderError } from "./errors";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./passwords";

/** Authing-style user id: 24 hex characters. */
const newUserId = () => randomBytes(12).toString("hex");

export const displayNameOf = (user: Pick<UserRecord, "nickname" | "username" | "email">) =>
  user.nickname || user.username || user.email || "User";

export const briefUserInfoOf = (user: UserRecord): BriefUserInfo => ({
  displayName: displayNameOf(user),
  photo: user.photo ?? initialsAvatar(displayNameOf(user)),
});

/** The OIDC profile claims of a user, the same in the id_token and at /oidc/me. */
export const profileClaimsOf = (user: UserRecord) => ({
  name: displayNameOf(user),
  nickname: user.nickname,
  preferred_username: user.username,
  picture: user.photo,
  email: user.email,
  email_verified: false,
});

export const profileOf = (user: UserRecord): UserProfile => ({
  userId: user.id,
  username: user.username,
  email: user.email,
  nickname: user.nickname,
  photo: user.photo ?? initialsAvatar(displayNameOf(user)),
  createdAt: new Date(user.createdAt).toISOString(),
  updatedAt: new Date(user.updatedAt).toISOString(),
});

async function createUser(
  store: Store,
  now: number,
  input: { username: string | null; email: string | null; password: string; nickname: string | null; photo: string | null },
): Promise<UserRecord | undefined> {
  const user: UserRecord = {
    id: newUserId(),
    username: input.username,
    email: input.email?.toLowerCase() ?? null,
    passwordHash: await hashPassword(input.password),
    nickname: input.nickname,
    photo: input.photo,
    createdAt: now,
    updatedAt: now,
  };
  user.photo ??= initialsAvatar(displayNameOf(user));
  return (await store.insertUser(user)) ? user : undefined;
}

const signupClosed = () =>
  new ProviderError(403, "Sign-up is switched off on this provider: ask its operator for an account", apiCodes.signupDisabled);

/**
 * Creates a user, where sign-up is allowed (`allowSignup`). A name or email that is taken gets the
 * same answer as a new one, made up, after the same hash, and nothing is created: with no email
 * to verify there is no other way for a refusal not to say which accounts exist.
 */
export async function signup(
  deps: ProviderDeps,
  request: SignupRequest,
  clientIp: string | undefined,
  { allowSignup }: { allowSignup: boolean },
): Promise<UserProfile> {
  if (!allowSignup) throw signupClosed();
  await limitSignUp(deps.store, clientIp, deps.now());
  const { passwordPayload, profile } = request;
  const input = {
    username: passwordPayload.username ?? null,
    email: passwordPayload.email ?? null,
    password: passwordPayload.password,
    nickname: profile?.nickname || null,
    photo: profile?.photo ?? null,
  };
  const user = await createUser(deps.store, deps.now(), input);
  if (user) return profileOf(user);
  const now = deps.now();
  return profileOf({ ...input, id: newUserId(), email: input.email?.toLowerCase() ?? null, passwordHash: "", createdAt: now, updatedAt: now });
}

/** Adds a user from the operator's side (scripts/qr-login/add-user.mts): no limits, and a taken name is said so. */
export async function addUser(
  deps: Pick<ProviderDeps, "store" | "now">,
  input: { username: string | null; email: string | null; password: string; nickname: string | null },
): Promise<UserProfile | undefined> {
  const user = await createUser(deps.store, deps.now(), { ...input, photo: null });
  return user && profileOf(user);
}

export function signinDeviceOf(deps: ProviderDeps, request: Request): string | undefined {
  if (deps.settings.tokenEndpointAuthMethod === "none") return undefined;
  const device = request.headers.get(SIGNIN_DEVICE_HEADER)?.trim();
  return device && /^[A-Za-z0-9_-]{16,64}$/.test(device) ? device : undefined;
}

/**
 * Username or email (either field, or `account`), password checked in constant time. An unknown
 * account costs the same hash and the same limits, and fails with the same words.
 */
export async function authenticateUser(
  deps: ProviderDeps,
  payload: SigninRequest["passwordPayload"],
  attempt: { ip: string | undefined; device?: string },
): Promise<UserRecord> {
  const login = payload.account ?? payload.username ?? payload.email ?? payload.phone ?? "";
  const limited = await limitPasswordSignIn(deps.store, "signin", { account: login, ...attempt }, deps.now());
  const user = await deps.store.findUserByLogin(login);
  const ok = user ? await verifyPassword(payload.password, user.passwordHash) : (await burnPasswordCheck(payload.password), false);
  if (!user || !ok) throw new ProviderError(401, "Account or password is incorrect", apiCodes.wrongCredentials);
  await limited.succeeded();
  return user;
}

export async function seedDemoUsers(deps: Pick<ProviderDeps, "store" | "now">): Promise<void> {
  for (const demo of demoUsers) {
    if (await deps.store.findUserByLogin(demo.username)) continue;
    await createUser(deps.store, deps.now(), {
      username: demo.username,
      email: demo.email,
      password: demo.password,
      nickname: demo.nickname,
      photo: null,
    });
  }
}
