import "server-only";

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

type DevelopmentSecrets = { appId: string; appSecret: string; nextAuthSecret: string };

const developmentSecretsSchema = z.object({
  appId: z.string().min(1),
  appSecret: z.string().min(16),
  nextAuthSecret: z.string().min(32),
});

/**
 * Makes DATA_DIR, only this user's (0700), ignoring itself: a `.gitignore` of `*` in it keeps its
 * secrets (these, and the embedded provider's signing key and password hashes) out of the
 * repository it lands in, whatever that repository's own .gitignore says.
 */
export function createDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(path.join(dataDir, ".gitignore"), "# Secrets: never committed.\n*\n", { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/**
 * `npm run dev` must work with no .env, and its sessions must survive a restart, so the
 * generated secrets are written once under DATA_DIR and read back afterwards. The file is
 * created exclusively so that two processes starting at once agree on one set.
 */
export function loadDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  createDataDir(dataDir);
  const generated: DevelopmentSecrets = {
    appId: `dev-${randomBytes(12).toString("hex")}`,
    appSecret: randomBytes(32).toString("base64url"),
    nextAuthSecret: randomBytes(32).toString("base64url"),
  };
  try {
    fs.writeFileSync(file, JSON.stringify(generated, null, 2), { flag: "wx", mode: 0o600 });
    return generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return developmentSecretsSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}
