import { writeFileSync } from "node:fs";

import { devices, type Browser, type BrowserType, type LaunchOptions, type Page } from "@playwright/test";
import QRCode from "qrcode";

import { dictionaries } from "../lib/qr-login/client/i18n/messages";
import { pngToY4m } from "../test-support/y4m";
import { expectAccessible } from "./support/accessibility";
import { CspViolations, expect, test } from "./support/fixtures";
import { continueOnDesktop, showQrCode, showQrCodeContent, signInOnPhone } from "./support/flows";

/** A string only jsQR's code holds: its chunk was downloaded when a response has it. */
const JSQR_MARKER = "Invalid module size";

/**
 * A phone whose camera films `picture` (a PNG): a browser of its own, since Chromium takes its
 * fake camera from launch arguments, with the config's executable and arguments plus the fake
 * device, the fake permission prompt, and the camera granted to the app's origin.
 */
async function phoneFilming(
  picture: Buffer,
  { browserType, launchOptions, origin, videoPath, locale }: {
    browserType: BrowserType;
    launchOptions: LaunchOptions;
    origin: string;
    videoPath: string;
    locale?: string;
  },
): Promise<{ browser: Browser; phone: Page; scripts: string[]; cspViolations: CspViolations }> {
  writeFileSync(videoPath, pngToY4m(picture));
  const browser = await browserType.launch({
    ...launchOptions,
    args: [
      ...(launchOptions.args ?? []),
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${videoPath}`,
    ],
  });
  const context = await browser.newContext({ ...devices["Pixel 7"], baseURL: origin, locale });
  await context.grantPermissions(["camera"], { origin });
  const cspViolations = new CspViolations();
  await cspViolations.record(context);
  const scripts: string[] = [];
  context.on("response", (response) => {
    if (response.url().endsWith(".js")) scripts.push(response.url());
  });
  // Every camera stream the page opens, to prove it is stopped when the scanner goes.
  await context.addInitScript(() => {
    const streams: MediaStream[] = [];
    (window as unknown as { __streams: MediaStream[] }).__streams = streams;
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      streams.push(stream);
      return stream;
    };
  });
  return { browser, phone: await context.newPage(), scripts, cspViolations };
}

/** Runs `scan` on a phone filming `picture`, then closes its browser; the phone must have met no CSP violation. */
async function withPhoneFilming(
  picture: Buffer,
  options: Parameters<typeof phoneFilming>[1],
  scan: (phone: Page, scripts: string[]) => Promise<void>,
): Promise<void> {
  const { browser, phone, scripts, cspViolations } = await phoneFilming(picture, options);
  try {
    await scan(phone, scripts);
  } finally {
    await browser.close();
  }
  expect(cspViolations.seen, "CSP violations on the phone").toEqual([]);
}

/** The state of every camera track the page opened (`live` or `ended`). */
function cameraTrackStates(phone: Page): Promise<string[]> {
  return phone.evaluate(() =>
    (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((stream) => stream.getTracks()).map((track) => track.readyState),
  );
}

/** The signed-in companion opens its scanner, which finds the code filmed and opens its scan page; the user confirms. */
async function scanAndConfirm(phone: Page, desktop: Page, scanPage: string): Promise<void> {
  await phone.getByRole("link", { name: "Scan a code" }).click();
  await phone.waitForURL(scanPage);
  await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeVisible();
  await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(phone.getByText(/signed in/i).first()).toBeVisible();
}

/** The desktop's first sign-in asks once who it is for (e2e/session-swap.spec.ts), then it is signed in. */
async function expectSignedIn(desktop: Page, origin: string): Promise<void> {
  await continueOnDesktop(desktop);
  await desktop.waitForURL(`${origin}/`);
  await expect(desktop.getByText("Signed in as")).toBeVisible();
  await expect(desktop.getByText("Alice Chen")).toBeVisible();
}

async function jsQRLoaded(phone: Page, scripts: string[]): Promise<boolean> {
  const bodies = await Promise.all(scripts.map((url) => phone.request.get(url).then((response) => response.text())));
  return bodies.some((body) => body.includes(JSQR_MARKER));
}

test("the companion scans the desktop's code with the camera, and the desktop is signed in", async (
  { app, desktop, playwright, launchOptions },
  testInfo,
) => {
  const { url, qrcodeId } = await showQrCode(desktop);
  // The camera films the real pixels of the code on the desktop's screen.
  const picture = await desktop.getByRole("img", { name: /QR code/ }).screenshot();
  await withPhoneFilming(picture, {
    browserType: playwright.chromium,
    launchOptions,
    origin: app.origin,
    videoPath: testInfo.outputPath("desktop-code.y4m"),
  }, async (phone, scripts) => {
    await signInOnPhone(phone);
    // The JS decoder is not part of the companion's pages until the scanner asks for it.
    expect(await jsQRLoaded(phone, scripts)).toBe(false);
    const hasBarcodeDetector = await phone.evaluate(() => "BarcodeDetector" in window);

    expect(url.pathname).toBe(`/m/scan/${qrcodeId}`);
    await scanAndConfirm(phone, desktop, `${app.origin}${url.pathname}`);
    // Without a BarcodeDetector (headless Chromium on Linux) jsQR read the frames.
    if (!hasBarcodeDetector) expect(await jsQRLoaded(phone, scripts)).toBe(true);
    testInfo.annotations.push({ type: "decoder", description: hasBarcodeDetector ? "BarcodeDetector available" : "jsQR" });
    await expectSignedIn(desktop, app.origin);
  });
});

test("a code from another site is refused, scanning goes on, and leaving stops the camera", async (
  { app, playwright, launchOptions },
  testInfo,
) => {
  // A look-alike: the scan path on another origin.
  const foreign = `https://scan-to-sign-in.example.net/m/scan/${"Zp3vX0c9q1Jm2k4Lw8s7Tg"}`;
  const picture = await QRCode.toBuffer(foreign, { type: "png", width: 240, margin: 4 });
  await withPhoneFilming(picture, {
    browserType: playwright.chromium,
    launchOptions,
    origin: app.origin,
    videoPath: testInfo.outputPath("foreign-code.y4m"),
  }, async (phone) => {
    await phone.goto("/m/scan-code");
    await expect(phone.getByRole("heading", { name: "Scan a code" })).toBeVisible();
    await expect(phone.getByRole("region", { name: "Camera view" })).toBeVisible();
    const status = phone.getByRole("status");
    await expect(status).toHaveText("This isn't a sign-in code for this site. Scan the code on this site's sign-in page.");
    await expect(status).toHaveAttribute("aria-live", "polite");

    const scanner = phone.locator("[data-decoder]");
    const hasBarcodeDetector = await phone.evaluate(() => "BarcodeDetector" in window);
    await expect(scanner).toHaveAttribute("data-decoder", hasBarcodeDetector ? /barcode-detector|jsqr/ : "jsqr");
    await expect(scanner).toHaveAttribute("data-scan-state", "scanning");
    await expectAccessible(phone, "the scanner with a wrong code in view");
    // Still here, still scanning, a while later.
    await phone.waitForTimeout(1_000);
    await expect(phone).toHaveURL(`${app.origin}/m/scan-code`);
    expect(await cameraTrackStates(phone)).toEqual(["live"]);

    await phone.getByRole("link", { name: "Cancel" }).click();
    await phone.waitForURL(`${app.origin}/m`);
    // The companion is a single-page app: the page lives on, the camera does not. The URL changes
    // before React unmounts the scanner, whose cleanup stops the camera, so look until it has.
    await expect.poll(() => cameraTrackStates(phone)).toEqual(["ended"]);
  });
});

test.describe("QR_CODE_CONTENT=authing: the code carries Authing's JSON, for Authing's phone SDKs", () => {
  const userPoolId = "e2e0authing0payload0pool";
  test.use({ serverEnv: { QR_CODE_CONTENT: "authing", AUTHING_USERPOOL_ID: userPoolId } });

  test("the desktop's code is Authing's APP_AUTH payload; the companion's camera opens it and the desktop is signed in", async (
    { app, desktop, playwright, launchOptions },
    testInfo,
  ) => {
    const payload = JSON.parse(await showQrCodeContent(desktop)) as Record<string, unknown>;
    // Authing's fields, in Authing's order, as its phone SDKs parse them.
    expect(Object.keys(payload)).toEqual(["scene", "random", "userPoolId", "createdAt", "expireAt", "customData"]);
    expect(payload).toMatchObject({ scene: "APP_AUTH", userPoolId, customData: {} });
    const random = String(payload.random);
    expect(random).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const time of [payload.createdAt, payload.expireAt]) expect(new Date(String(time)).toISOString()).toBe(time);
    expect(Date.parse(String(payload.expireAt)) - Date.parse(String(payload.createdAt))).toBe(120_000);
    // Trying it without a phone still opens the companion's scan page for this code.
    const phonePageLink = desktop.getByRole("link", { name: /Open the phone page/ });
    await expect(phonePageLink).toHaveAttribute("href", `/m/scan/${random}`);
    const [phonePage] = await Promise.all([desktop.waitForEvent("popup"), phonePageLink.click()]);
    await phonePage.waitForURL(`${app.origin}/m?next=${encodeURIComponent(`/m/scan/${random}`)}`);
    await expect(phonePage.getByLabel("Username")).toBeVisible();
    await phonePage.close();

    const picture = await desktop.getByRole("img", { name: /QR code/ }).screenshot();
    await withPhoneFilming(picture, {
      browserType: playwright.chromium,
      launchOptions,
      origin: app.origin,
      videoPath: testInfo.outputPath("authing-payload.y4m"),
    }, async (phone) => {
      await signInOnPhone(phone);
      await scanAndConfirm(phone, desktop, `${app.origin}/m/scan/${random}`);
      await expectSignedIn(desktop, app.origin);
    });
  });

  test("zh-CN: a payload of another user pool is refused in the user's language, and scanning goes on", async (
    { app, playwright, launchOptions },
    testInfo,
  ) => {
    const t = dictionaries["zh-CN"].scanCode;
    const otherPool = JSON.stringify({
      scene: "APP_AUTH",
      random: "Zp3vX0c9q1Jm2k4Lw8s7Tg",
      userPoolId: "61a0b1c2d3e4f5a6b7c8d9e0",
      createdAt: "2026-12-07T01:00:00.000Z",
      expireAt: "2026-12-07T01:02:00.000Z",
      customData: {},
    });
    const picture = await QRCode.toBuffer(otherPool, { type: "png", width: 320, margin: 4 });
    await withPhoneFilming(picture, {
      browserType: playwright.chromium,
      launchOptions,
      origin: app.origin,
      videoPath: testInfo.outputPath("other-pool.y4m"),
      locale: "zh-CN",
    }, async (phone) => {
      await phone.goto("/m/scan-code");
      await expect(phone.getByRole("status")).toHaveText(t.otherPool);
      await expect(phone.locator("[data-scan-state]")).toHaveAttribute("data-scan-state", "scanning");
      await expect(phone).toHaveURL(`${app.origin}/m/scan-code`);
    });
  });
});

for (const locale of ["en", "zh-CN"] as const) {
  test(`${locale}: without a camera the scanner says so and points to the phone's camera app`, async ({ app, browser }) => {
    const t = dictionaries[locale].scanCode;
    // A browser with no camera and no permission to ask for one.
    const context = await browser.newContext({ ...devices["Pixel 7"], baseURL: app.origin, locale });
    const cspViolations = new CspViolations();
    await cspViolations.record(context);
    const phone = await context.newPage();
    await phone.goto("/m/scan-code");
    await expect(phone.getByRole("heading", { name: t.title })).toBeVisible();
    const status = phone.getByRole("status");
    await expect(phone.locator("[data-scan-state]")).toHaveAttribute("data-scan-state", "failed");
    const said = await status.innerText();
    expect([t.unavailable, t.denied]).toContain(said);
    await expect(phone.getByText(said === t.denied ? t.deniedHint : t.unavailableHint)).toBeVisible();
    await expect(phone.getByRole("region", { name: t.cameraView })).toBeHidden();
    await expect(phone.getByRole("button", { name: t.tryAgain })).toBeVisible();
    await expectAccessible(phone, "the scanner without a camera");

    await phone.getByRole("link", { name: t.cancel }).click();
    await phone.waitForURL(`${app.origin}/m`);
    await context.close();
    expect(cspViolations.seen, "CSP violations on the phone").toEqual([]);
  });
}
