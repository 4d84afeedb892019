import "server-only";

import type { Store } from "@/lib/qr-login/provider/store/types";

import { demoUsers } from "./demo-users";
import { verifyPassword } from "./passwords";

/** The demo accounts that still sign in with the published demo password, in this store. */
export async function demoAccountsWithPublishedPassword(store: Store): Promise<string[]> {
  const open: string[] = [];
  for (const demo of demoUsers) {
    const user = await store.findUserByLogin(demo.username);
    if (user && (await verifyPassword(demo.password, user.passwordHash))) open.push(demo.username);
  }
  return open;
}

/**
 * Users seeded once (SEED_DEMO_USERS=true, or a development store copied over) stay in the store
 * when the flag is later turned off. A production start says so rather than keep them silently.
 */
export function demoAccountsWarning(open: string[]): string | undefined {
  if (open.length === 0) return undefined;
  return (
    `The store still accepts the published demo password for ${open.join(" and ")}, although SEED_DEMO_USERS is not true: ` +
    "anyone can sign in as them. Delete these users from the store (or change their passwords)."
  );
}
