/**
 * The demo accounts the embedded provider seeds (unless SEED_DEMO_USERS=false). Not secret:
 * the companion sign-in page and the README show them. No server-only import, on purpose.
 */
export const demoPassword = "scan-me-in";

export const demoUsers = [
  { username: "alice", email: "alice@example.com", nickname: "Alice Chen", password: demoPassword },
  { username: "bob", email: "bob@example.com", nickname: "Bob Li", password: demoPassword },
] as const;

export type DemoUser = (typeof demoUsers)[number];
