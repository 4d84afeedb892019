import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { devices, expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";

import { freePort, startAppServer, testApp } from "../test-support/app-server";
import { nextRenderErrors } from "../test-support/render-errors";
import { CREATE_NEXT_APP, run, serveRegistry, SHADCN, sourceFiles, startNewApp, userEnv, type Step } from "./new-app";

/**
 * What a user does to add the QR login to an app made today: a fresh create-next-app app with
 * its defaults (Cache Components, strict TypeScript, eslint-config-next, Turbopack), `shadcn init`
 * (shadcn's new-york-v4 style, as any shadcn registry item expects), one `shadcn add`, the
 * variables in .env.local, build, lint, and a sign-in with a desktop and a phone that must look
 * right in the host's theme. Nothing of the new app is edited but .env.local: any edit a user would
 * have to make fails the build, the lint, the type check or the sign-in.
 */

const keep = process.env.ADOPTION_KEEP === "1";
const demoPassword = "scan-me-in";

/** Reads the QR code from the screen's pixels, as a phone's camera would. */
async function readQrCode(image: Locator): Promise<string> {
  let data: string | undefined;
  await expect
    .poll(async () => {
      const shot = await image.screenshot().catch(() => undefined);
      if (!shot) return false;
      const png = PNG.sync.read(shot);
      data = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
      return data !== undefined;
    })
    .toBe(true);
  return data!;
}

/** Makes the app, adds the item with the one command, writes .env.local, builds and lints it. */
async function adopt(item: string, env: (origin: string) => Record<string, string>) {
  const steps: Step[] = [];
  const workDir = mkdtempSync(path.join(os.tmpdir(), "qr-login-adoption-"));
  const dir = path.join(workDir, "my-app");
  const registry = await serveRegistry();
  const shell = userEnv({ ADOPTION_FONT_URL: registry.fontUrl });
  // shadcn's own registry (ui.shadcn.com/r) is out of reach: the CLI's REGISTRY_URL points at a mirror.
  const shadcnShell = { ...shell, REGISTRY_URL: registry.shadcnUrl };
  try {
    await run(steps, workDir, "npx", ["-y", CREATE_NEXT_APP, "my-app", "--yes", "--skip-install", "--disable-git"], shell);
    await run(steps, dir, "npm", ["install", "--no-audit", "--no-fund"], shell);
    // A shadcn app: components.json, lib/utils.ts and the theme's CSS variables in app/globals.css.
    await run(steps, dir, "npx", ["-y", SHADCN, "init", "--yes", "--base", "radix", `${registry.shadcnUrl}/styles/new-york-v4/index.json`], shadcnShell);
    const before = new Set(sourceFiles(dir));
    await run(steps, dir, "npx", ["-y", SHADCN, "add", `${registry.url}/${item}.json`, "--yes"], shadcnShell);
    const added = sourceFiles(dir).filter((file) => !before.has(file) && file !== ".env.local");
    // The one URL was all it needed of ours: the item, as committed, from an origin it does not name;
    // the rest came from shadcn's registry, all of it answered.
    expect([...new Set(registry.requests.filter((url) => url.startsWith("/r/")))]).toEqual([`/r/${item}.json`]);
    expect(registry.unanswered).toEqual([]);
    // The primitives are the host's own copies, added as registryDependencies; no stylesheet came with the item.
    expect(added).toEqual(expect.arrayContaining(["components/ui/button.tsx", "components/ui/card.tsx", "components/ui/avatar.tsx", "components/ui/alert.tsx"]));
    expect(added.filter((file) => /\.(s?css|sass|less)$/.test(file))).toEqual([]);

    // Fill in what the command wrote to .env.local, as a user would: its other lines stay as written.
    const port = await freePort();
    const values = env(`http://127.0.0.1:${port}`);
    const written = readFileSync(path.join(dir, ".env.local"), "utf8");
    expect(written).toMatch(/^AUTHING_APP_ID=/m);
    expect(written).toMatch(/^NEXTAUTH_SECRET=/m);
    const filled = written
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const name = line.split("=", 1)[0]!;
        return name in values ? `${name}=${values[name]}` : line;
      });
    const missing = Object.keys(values).filter((name) => !filled.some((line) => line.startsWith(`${name}=`)));
    writeFileSync(path.join(dir, ".env.local"), [...filled, ...missing.map((name) => `${name}=${values[name]}`)].join("\n") + "\n");
    await run(steps, dir, "npm", ["run", "build"], shell);
    await run(steps, dir, "npm", ["run", "lint", "--", "--max-warnings", "0"], shell);
    await run(steps, dir, "npx", ["tsc", "--noEmit"], shell);
    // Optional packages of the items (redis among them): none is installed, and the app builds,
    // lints and type-checks without them; the sign-in below runs without them.
    for (const optional of ["redis", "prom-client", "@opentelemetry/api", "pino-pretty"]) expect(existsSync(path.join(dir, "node_modules", optional)), optional).toBe(false);
    return { workDir, dir, port, added, steps };
  } catch (error) {
    if (!keep) rmSync(workDir, { recursive: true, force: true });
    throw error;
  } finally {
    await registry.close();
  }
}

/**
 * Errors either device's console shows, and uncaught exceptions, each with where it came from. Two
 * are not the app's: the offline font's (google-fonts-offline.cjs), and the 401 the browser logs
 * when NextAuth refuses the first sign-in post of a browser to hold it for "Continue as …" (a
 * refused authorize() is how the held sign-in answers, lib/qr-login/client/flow/held-sign-in.ts).
 */
function recordErrors(page: Page, device: string, errors: string[]): void {
  page.on("pageerror", (error) => errors.push(`${device}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error" || /Failed to decode downloaded font|OTS parsing error/.test(message.text())) return;
    const from = message.location().url;
    if (/status of 401/.test(message.text()) && from.endsWith("/api/auth/callback/qrcode")) return;
    errors.push(`${device}: ${message.text()} (${from})`);
  });
}

/** A control a user sees as one: a border, a shadow or a fill of its own, not bare text on the page. */
async function expectVisibleControl(control: Locator, what: string): Promise<void> {
  await expect(control).toBeVisible();
  const look = await control.evaluate((element) => {
    const style = getComputedStyle(element);
    const transparent = (color: string) => color === "transparent" || /,\s*0\)$|\/\s*0\)$/.test(color);
    return {
      border: parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== "none" && !transparent(style.borderTopColor),
      shadow: style.boxShadow !== "none",
      fill: !transparent(style.backgroundColor),
    };
  });
  expect(look.border || look.shadow || look.fill, `${what} has a border, shadow or fill: ${JSON.stringify(look)}`).toBe(true);
}

/** Who scanned shows over the code, covering it, and on top of it (what the code's centre shows). */
async function expectScannerOverCode(desktop: Page, image: Locator, name: string): Promise<void> {
  const scanner = desktop.locator("[data-slot=qr-login-scanner]");
  await expect(scanner).toContainText(name);
  const code = (await image.boundingBox())!;
  const over = (await scanner.boundingBox())!;
  expect(over.x).toBeLessThanOrEqual(code.x);
  expect(over.y).toBeLessThanOrEqual(code.y);
  expect(over.x + over.width).toBeGreaterThanOrEqual(code.x + code.width);
  expect(over.y + over.height).toBeGreaterThanOrEqual(code.y + code.height);
  const centre = { x: code.x + code.width / 2, y: code.y + code.height / 2 };
  const onTop = await desktop.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest("[data-slot=qr-login-scanner]") != null, centre);
  expect(onTop, "the scanner's overlay is on top of the code").toBe(true);
}

type Account = { username: string; password: string; name: string };
const alice: Account = { username: "alice", password: demoPassword, name: "Alice Chen" };

async function signIn(browser: Browser, appOrigin: string, companionOrigin: string, account: Account = alice): Promise<void> {
  const desktopContext = await browser.newContext({ ...devices["Desktop Chrome"], baseURL: appOrigin });
  const phoneContext = await browser.newContext({ ...devices["Pixel 7"] });
  const errors: string[] = [];
  try {
    const desktop = await desktopContext.newPage();
    recordErrors(desktop, "desktop", errors);
    // The host's own prerendered home page still works beside the sign-in, and hydrates (React
    // has taken over the document).
    await desktop.goto("/");
    await expect(desktop.getByRole("link", { name: /Deploy Now/i })).toBeVisible();
    await expect.poll(() => desktop.evaluate(() => Object.keys(document.body).some((key) => key.startsWith("__reactFiber")))).toBe(true);

    await desktop.goto("/login?callbackUrl=%2F%3Fsigned-in%3D1");
    const image = desktop.getByRole("img", { name: /QR code/ });
    await expect(image).toBeVisible();
    const url = new URL(await readQrCode(image));
    expect(url.origin).toBe(companionOrigin);
    expect(url.pathname).toMatch(/^\/m\/scan\//);

    const phone: Page = await phoneContext.newPage();
    recordErrors(phone, "phone", errors);
    await phone.goto(url.toString());
    await expectVisibleControl(phone.getByLabel("Username"), "the phone's username field");
    await expectVisibleControl(phone.getByLabel("Password"), "the phone's password field");
    await expectVisibleControl(phone.getByRole("button", { name: "Sign in" }), "the phone's Sign in button");
    // How it looks in the host's theme, kept with the run's results (adoption/test-results/).
    await phone.screenshot({ path: test.info().outputPath("phone-sign-in.png") });
    await phone.getByLabel("Username").fill(account.username);
    await phone.getByLabel("Password").fill(account.password);
    await phone.getByRole("button", { name: "Sign in" }).click();
    await expectVisibleControl(phone.getByRole("link", { name: "Not now" }), "the phone's Not now button");
    await expectVisibleControl(phone.getByRole("button", { name: "Continue" }), "the phone's Continue button");
    await phone.getByRole("button", { name: "Continue" }).click();
    await expectVisibleControl(phone.getByRole("button", { name: "Cancel" }), "the phone's Cancel button");
    await expectVisibleControl(phone.getByRole("button", { name: "Confirm sign-in" }), "the phone's Confirm button");
    await phone.screenshot({ path: test.info().outputPath("phone-confirm.png") });
    await expect(desktop.getByRole("status")).toHaveText("Confirm on your phone");
    await expectScannerOverCode(desktop, image, account.name);
    await desktop.screenshot({ path: test.info().outputPath("login-scanned.png") });
    await expectVisibleControl(desktop.getByRole("button", { name: "Start over with a new code" }), "the desktop's Start over button");
    await phone.getByRole("button", { name: "Confirm sign-in" }).click();
    // A browser's first sign-in asks once who it is for (no silent session swap).
    await expectVisibleControl(desktop.getByRole("button", { name: `Continue as ${account.name}` }), "the desktop's Continue as button");
    await desktop.getByRole("button", { name: `Continue as ${account.name}` }).click();

    await desktop.waitForURL(`${appOrigin}/?signed-in=1`);
    const session = await (await desktop.request.get("/api/auth/session")).json();
    expect(session.user?.name).toBe(account.name);
    // Tokens stay on the server.
    expect(JSON.stringify(session)).not.toMatch(/accessToken|refreshToken|eyJ/);
    // A signed-in visit to the sign-in page goes on to where it was asked to go, never back to itself.
    await desktop.goto("/login?callbackUrl=%2Flogin");
    await desktop.waitForURL(`${appOrigin}/`);
    expect(errors, "console errors on either device").toEqual([]);
  } finally {
    await desktopContext.close();
    await phoneContext.close();
  }
}

/** The app's JSON log lines, by event. */
const events = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { event?: string; msg?: string });

/**
 * The item's own start ran: a warning the configuration called for at start, and the drain at
 * SIGTERM; and nothing the server logged was Next's complaint about a page (a value read while
 * prerendering, the request read outside <Suspense>, an escaped redirect).
 */
async function expectItsStart(app: { output(): string; stop(): Promise<void> }, warning: string): Promise<void> {
  expect(nextRenderErrors(app.output()), "Next's render errors in the server's log").toEqual([]);
  expect(events(app.output()).filter((line) => line.event === "config.warning" && line.msg?.startsWith(warning))).toHaveLength(1);
  await app.stop();
  expect(events(app.output()).map((line) => line.event)).toContain("shutdown.draining");
}

function report(name: string, adopted: { added: string[]; steps: Step[] }, started: number) {
  console.log(`\n${name}: the item added ${adopted.added.length} files; ${Math.round((Date.now() - started) / 1000)} s in all`);
  for (const step of adopted.steps) console.log(`  ${String(step.seconds).padStart(4)} s  ${step.command}`);
}

test("qr-login in a fresh app signs in against this starter as the provider", async ({ browser }) => {
  const started = Date.now();
  const provider = await startAppServer();
  const adopted = await adopt("qr-login", (origin) => ({
    AUTHING_APP_ID: testApp.id,
    AUTHING_APP_SECRET: testApp.secret,
    AUTHING_APP_HOST: provider.origin,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: origin,
  })).catch(async (error) => {
    await provider.stop();
    throw error;
  });
  const app = await startNewApp(adopted.dir, adopted.port);
  try {
    // The client alone: no provider routes, no store, no companion in the new app.
    expect(adopted.added.filter((file) => /^(lib\/(provider|store)|app\/\(provider\)|app\/m)\//.test(file))).toEqual([]);
    expect((await fetch(`${app.origin}/api/v3/gene-qrcode`, { method: "POST" })).status).toBe(404);
    await signIn(browser, app.origin, provider.origin);
    // The warning written for exactly this app: without REDIS_URL, sign-outs live in one process.
    await expectItsStart(app, "REDIS_URL is not set");
  } catch (error) {
    console.log(app.output());
    throw error;
  } finally {
    await app.stop();
    await provider.stop();
    if (!keep) rmSync(adopted.workDir, { recursive: true, force: true });
  }
  report("qr-login", adopted, started);
});

test("qr-login-provider in a fresh app signs in with the app as its own provider", async ({ browser }) => {
  const started = Date.now();
  const adopted = await adopt("qr-login-provider", (origin) => ({
    AUTHING_APP_ID: "my-app",
    AUTHING_APP_SECRET: randomBytes(24).toString("base64url"),
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: origin,
    SEED_DEMO_USERS: "true",
  }));
  const app = await startNewApp(adopted.dir, adopted.port);
  try {
    expect(adopted.added).toContain("app/(provider)/m/page.tsx");
    expect(adopted.added).toContain("components/qr-login/qr-login.tsx");
    await signIn(browser, app.origin, app.origin);
    await expectItsStart(app, "SEED_DEMO_USERS is true");
    // The data folder (signing key, password hashes) ignores itself in the host's repository.
    expect(readFileSync(path.join(adopted.dir, ".data", ".gitignore"), "utf8")).toMatch(/^\*$/m);
  } catch (error) {
    console.log(app.output());
    throw error;
  } finally {
    await app.stop();
  }
  try {
    // The operator's way to add a user where sign-up is off, as docs/adopting.md tells it.
    const added = await run(
      adopted.steps,
      adopted.dir,
      "npx",
      ["-y", "tsx", "--conditions=react-server", "scripts/qr-login/add-user.mts", "--username", "carol", "--nickname", "Carol Wu"],
      userEnv(),
      { input: "carol's-long-passphrase\n" },
    );
    expect(added).toMatch(/Added carol/);
    // `npm run dev` of the same app: every page it renders is checked under Cache Components, in
    // its log and on both devices' consoles. Carol signs in this time.
    // next dev compiles next/font/google on first use: the offline font is served again for it.
    const fonts = await serveRegistry();
    const dev = await startNewApp(adopted.dir, adopted.port, { dev: true, env: { ADOPTION_FONT_URL: fonts.fontUrl } }).catch(async (error) => {
      await fonts.close();
      throw error;
    });
    try {
      await signIn(browser, dev.origin, dev.origin, { username: "carol", password: "carol's-long-passphrase", name: "Carol Wu" });
      expect(nextRenderErrors(dev.output()), "Next's render errors in next dev's log").toEqual([]);
    } catch (error) {
      console.log(dev.output());
      throw error;
    } finally {
      await dev.stop();
      await fonts.close();
    }
  } finally {
    if (!keep) rmSync(adopted.workDir, { recursive: true, force: true });
  }
  report("qr-login-provider (with qr-login)", adopted, started);
});
