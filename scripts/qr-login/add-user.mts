// Adds a user to the embedded provider's store (REDIS_URL or DATA_DIR), for operators of a
// deployment where sign-up is off (production, unless ALLOW_SIGNUP=true). The qr-login-provider
// registry item adds it. Run it in the app's folder where the app's variables are set:
//   npx tsx --conditions=react-server scripts/qr-login/add-user.mts --username carol [--email carol@example.com] [--nickname "Carol Wu"]
// or as a package.json script: "add-user": "tsx --conditions=react-server scripts/qr-login/add-user.mts"
// The password is read from standard input (typed at a prompt, or piped), never from the command
// line, which other users of the machine can see.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

import { signupRequestSchema } from "@/lib/qr-login/client/authing/schemas";
import { getConfig } from "@/lib/qr-login/platform/config";
import { addUser } from "@/lib/qr-login/provider/users";
import { getStore } from "@/lib/qr-login/provider/store";

const { values } = parseArgs({
  options: { username: { type: "string" }, email: { type: "string" }, nickname: { type: "string" } },
});

async function readPassword(): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stderr.write("Password (not shown): ");
    // Keep what is typed off the screen.
    (lines as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
  }
  for await (const line of lines) {
    lines.close();
    if (process.stdin.isTTY) process.stderr.write("\n");
    return line;
  }
  return "";
}

const config = getConfig();
if (!config.provider.embedded) {
  console.error("AUTHING_APP_HOST is set: users live at Authing; add them in its console.");
  process.exit(1);
}
if (!values.username && !values.email) {
  console.error('Give --username or --email (or both), e.g. --username carol --nickname "Carol Wu"');
  process.exit(1);
}
const request = signupRequestSchema.safeParse({
  connection: "PASSWORD",
  passwordPayload: { username: values.username, email: values.email, password: await readPassword() },
  profile: values.nickname ? { nickname: values.nickname } : undefined,
});
if (!request.success) {
  console.error(`Not added: ${request.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  process.exit(1);
}
const store = getStore();
try {
  const { passwordPayload, profile } = request.data;
  const user = await addUser(
    { store, now: Date.now },
    { username: passwordPayload.username ?? null, email: passwordPayload.email ?? null, password: passwordPayload.password, nickname: profile?.nickname || null },
  );
  if (!user) {
    console.error("Not added: a user with this username or email already exists.");
    process.exitCode = 1;
  } else {
    console.log(`Added ${user.username ?? user.email} (${user.userId}).`);
  }
} finally {
  await store.close();
}
