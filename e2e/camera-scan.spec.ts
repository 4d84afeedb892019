import { writeFileSync } from "node:fs";

import { devices, type Browser, type BrowserType, type LaunchOptions, type Page } from "@playwright/test";
import QRCode from "qrcode";

import { dictionaries } from "../lib/i18n/messages";
import { pngToY4m } from "../test-support/y4m";
import { expectAccessible } from "./support/accessibility";
import { CspViolations, expect, test } from "./support/fixtures";
import { continueOnDesktop, showQrCode, signInOnPhone } from "./support/flows";

/** A string only jsQR's code holds: its chunk was downloaded when a response has it. */
const JSQR_MARKER = "Invalid module size";

/**
 * A phone whose camera films `picture` (a PNG): a browser of its own, since Chromium takes its
 * fake camera from launch arguments, with the config's executable and arguments plus the fake
 * device, the fake permission prompt, and the camera granted to the app's origin.
 */
async function phoneFilming(
  picture: Buffer,
  { browserType, launchOptions, origin, videoPath }: {
    browserType: BrowserType;
    launchOptions: LaunchOptions;
    origin: string;
    videoPath: string;
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
  const context = await browser.newContext({ ...devices["Pixel 7"], baseURL: origin });
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

/** The state of every camera track the page opened (`live` or `ended`). */
function cameraTrackStates(phone: Page): Promise<string[]> {
  return phone.evaluate(() =>
    (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((stream) => stream.getTracks()).map((track) => track.readyState),
  );
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
  const { browser, phone, scripts, cspViolations } = await phoneFilming(picture, {
    browserType: playwright.chromium,
    launchOptions,
    origin: app.origin,
    videoPath: testInfo.outputPath("desktop-code.y4m"),
  });
  try {
    await signInOnPhone(phone);
    // The JS decoder is not part of the companion's pages until the scanner asks for it.
    expect(await jsQRLoaded(phone, scripts)).toBe(false);
    const hasBarcodeDetector = await phone.evaluate(() => "BarcodeDetector" in window);

    await phone.getByRole("link", { name: "Scan a code" }).click();
    await phone.waitForURL(`${app.origin}${url.pathname}`);
    expect(url.pathname).toBe(`/m/scan/${qrcodeId}`);
    await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeVisible();
    // Without a BarcodeDetector (headless Chromium on Linux) jsQR read the frames.
    if (!hasBarcodeDetector) expect(await jsQRLoaded(phone, scripts)).toBe(true);
    testInfo.annotations.push({ type: "decoder", description: hasBarcodeDetector ? "BarcodeDetector available" : "jsQR" });

    await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
    await phone.getByRole("button", { name: "Confirm sign-in" }).click();
    await expect(phone.getByText(/signed in/i).first()).toBeVisible();
    await continueOnDesktop(desktop);
    await desktop.waitForURL(`${app.origin}/`);
    await expect(desktop.getByText("Signed in as")).toBeVisible();
    await expect(desktop.getByText("Alice Chen")).toBeVisible();
  } finally {
    await browser.close();
  }
  expect(cspViolations.seen, "CSP violations on the phone").toEqual([]);
});

test("a code from another site is refused, scanning goes on, and leaving stops the camera", async (
  { app, playwright, launchOptions },
  testInfo,
) => {
  // A look-alike: the scan path on another origin.
  const foreign = `https://scan-to-sign-in.example.net/m/scan/${"Zp3vX0c9q1Jm2k4Lw8s7Tg"}`;
  const picture = await QRCode.toBuffer(foreign, { type: "png", width: 240, margin: 4 });
  const { browser, phone, cspViolations } = await phoneFilming(picture, {
    browserType: playwright.chromium,
    launchOptions,
    origin: app.origin,
    videoPath: testInfo.outputPath("foreign-code.y4m"),
  });
  try {
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
  } finally {
    await browser.close();
  }
  expect(cspViolations.seen, "CSP violations on the phone").toEqual([]);
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
