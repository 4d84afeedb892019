/**
 * `npm run bench`: waiting status vs fixed 800 ms polling vs 1 s after each answer, side by side
 * in one run, against production servers on this machine (load generator included). Writes
 * docs/bench/results.{json,md} and docs/bench/notice-latency.svg.
 *
 * Knobs: BENCH_BROWSERS (1000), BENCH_SECONDS (40), BENCH_CONFIRMATIONS (100),
 * BENCH_CAPACITY_STEPS ("1000,2000,5000,10000"), BENCH_CHROMIUM_RUNS (12), CHROMIUM_PATH.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { chromium } from "@playwright/test";

import { projectRoot, startAppServer, type AppServer } from "../../test-support/app-server.ts";
import { startRedisServer } from "../../test-support/redis-server.ts";
import { createBrowsers, percentile, Phone, processUsage, runLoad, type Mode, type RunResult } from "./load.mts";

const BROWSERS = Number(process.env.BENCH_BROWSERS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 40);
const CONFIRMATIONS = Number(process.env.BENCH_CONFIRMATIONS ?? 100);
const CAPACITY_STEPS = (process.env.BENCH_CAPACITY_STEPS ?? "1000,2000,5000,10000").split(",").map(Number);
const CHROMIUM_RUNS = Number(process.env.BENCH_CHROMIUM_RUNS ?? 12);
const NOTICE_P99_TARGET_MS = 100;

// Each simulated page has its own address, sent as X-Forwarded-For by one trusted proxy hop.
const serverEnv = { SEED_DEMO_USERS: "true", QR_CODE_TTL_SECONDS: "900", TRUSTED_PROXY_HOPS: "1" };

type Figures = {
  label: string;
  browsers: number;
  confirmations: number;
  noticeP50: number;
  noticeP95: number;
  noticeP99: number;
  missed: number;
  errors: number;
  idleRequestsPerMinute: number;
  cpuSeconds: number;
  peakRssMb: number;
};

async function measure(label: string, server: AppServer, run: () => Promise<RunResult>, extra: AppServer[] = []): Promise<Figures> {
  const servers = [server, ...extra];
  const before = servers.map((each) => processUsage(each.pid()!).cpuSeconds);
  const result = await run();
  const after = servers.map((each) => processUsage(each.pid()!));
  const figures: Figures = {
    label,
    browsers: result.browsers,
    confirmations: result.confirmations,
    noticeP50: percentile(result.noticeMs, 50),
    noticeP95: percentile(result.noticeMs, 95),
    noticeP99: percentile(result.noticeMs, 99),
    missed: result.missed,
    errors: result.errors,
    idleRequestsPerMinute: result.idleRequestsPerMinute,
    cpuSeconds: after.reduce((sum, usage, index) => sum + usage.cpuSeconds - before[index]!, 0),
    peakRssMb: Math.max(...after.map((usage) => usage.peakRssBytes)) / 2 ** 20,
  };
  console.log(`  ${label}: notice p50 ${figures.noticeP50} ms, p99 ${figures.noticeP99} ms, missed ${figures.missed}, errors ${figures.errors}, ` +
    `${figures.idleRequestsPerMinute.toFixed(1)} req/idle browser/min, CPU ${figures.cpuSeconds.toFixed(1)} s, peak RSS ${figures.peakRssMb.toFixed(0)} MB`);
  return figures;
}

async function oneInstance(mode: Mode, browsers: number, seconds: number, confirmations: number, label: string): Promise<Figures> {
  const server = await startAppServer(serverEnv);
  try {
    const simulated = await createBrowsers(server.origin, browsers);
    return await measure(label, server, () =>
      runLoad({ origin: server.origin, phoneOrigin: server.origin, browsers: simulated, mode, seconds, confirmations }),
    );
  } finally {
    await server.stop();
  }
}

async function twoInstancesOnRedis(): Promise<Figures> {
  const redis = await startRedisServer();
  const first = await startAppServer({ ...serverEnv, REDIS_URL: redis.url });
  const second = await startAppServer({ ...serverEnv, REDIS_URL: redis.url, NEXTAUTH_URL: first.origin });
  try {
    const simulated = await createBrowsers(first.origin, BROWSERS);
    return await measure(
      "waiting, two instances on Redis (browsers on one, phones on the other)",
      first,
      () => runLoad({ origin: first.origin, phoneOrigin: second.origin, browsers: simulated, mode: "waiting", seconds: SECONDS, confirmations: CONFIRMATIONS }),
      [second],
    );
  } finally {
    await Promise.all([first.stop(), second.stop()]);
    await redis.stop();
  }
}

/** Confirm → signed in, in headless Chromium: the phone's CONFIRM answered → the home page says "Signed in as". */
async function confirmToSignedIn(env: Record<string, string>): Promise<number[]> {
  const server = await startAppServer({ ...serverEnv, ...env });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-gpu", "--no-first-run"],
  });
  const phone = new Phone(server.origin);
  await phone.signIn();
  const times: number[] = [];
  try {
    for (let run = 0; run < CHROMIUM_RUNS + 2; run++) {
      const context = await browser.newContext({ baseURL: server.origin });
      const page = await context.newPage();
      await page.goto("/login");
      const qrcodeId = await page.locator("img[data-qrcode-id]").getAttribute("data-qrcode-id");
      await page.getByText("Scan with the app").waitFor();
      await page.waitForTimeout(300 + Math.random() * 700);
      await phone.approve(qrcodeId!);
      const confirmed = Date.now();
      await page.getByText("Signed in as").waitFor({ timeout: 15_000 });
      // The first two warm the server's code paths.
      if (run >= 2) times.push(Date.now() - confirmed);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return times;
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

function markdown(results: Results): string {
  const rows = results.modes.map(
    (figures) =>
      `| ${figures.label} | ${fmt(figures.noticeP50)} | ${fmt(figures.noticeP95)} | ${fmt(figures.noticeP99)} | ${figures.missed} of ${figures.confirmations} | ${figures.errors} | ${fmt(figures.idleRequestsPerMinute, 1)} | ${fmt(figures.cpuSeconds, 1)} | ${fmt(figures.peakRssMb)} |`,
  );
  const capacity = results.capacity.map(
    (step) => `| ${step.browsers} | ${fmt(step.noticeP50)} | ${fmt(step.noticeP99)} | ${step.missed} | ${step.errors} | ${fmt(step.peakRssMb)} | ${step.noticeP99 <= NOTICE_P99_TARGET_MS && step.missed === 0 ? "yes" : "no"} |`,
  );
  return [
    `Run ${results.date} on ${results.machine}; ${results.browsers} simulated browsers for ${results.seconds} s, ${results.confirmations} of them confirmed by phones at random moments; load generator and servers share the machine.`,
    "",
    "| Mode | Notice p50 (ms) | p95 | p99 | Missed | Errors | Requests per idle browser per minute | Server CPU (s) | Peak RSS (MB) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `Confirm → signed in, headless Chromium (${results.chromium.runs} runs each):`,
    "",
    "| Login page | p50 (ms) | p90 (ms) |",
    "|---|---|---|",
    `| waiting status (default) | ${fmt(results.chromium.waiting.p50)} | ${fmt(results.chromium.waiting.p90)} |`,
    `| polling every 800 ms (QR_STATUS_WAIT_SECONDS=0) | ${fmt(results.chromium.polling.p50)} | ${fmt(results.chromium.polling.p90)} |`,
    "",
    `Waiting browsers one instance holds (target: notice p99 ≤ ${NOTICE_P99_TARGET_MS} ms, nothing missed):`,
    "",
    "| Waiting browsers | Notice p50 (ms) | p99 (ms) | Missed | Errors | Peak RSS (MB) | Within target |",
    "|---|---|---|---|---|---|---|",
    ...capacity,
    "",
  ].join("\n");
}

/** A small bar chart of notice latency (p50 and p99, log scale) per mode, by hand. */
function svg(results: Results): string {
  const rows = results.modes;
  const width = 760;
  const rowHeight = 46;
  const left = 330;
  const plot = width - left - 30;
  const height = 60 + rows.length * rowHeight + 30;
  const max = Math.max(...rows.flatMap((row) => [row.noticeP99]).filter(Number.isFinite), 1000);
  const x = (ms: number) => (Math.log10(Math.max(1, ms)) / Math.log10(max)) * plot;
  const bars = rows
    .map((row, index) => {
      const y = 50 + index * rowHeight;
      return [
        `<text x="${left - 10}" y="${y + 20}" text-anchor="end" font-size="12">${escapeXml(row.label)}</text>`,
        `<rect x="${left}" y="${y + 4}" width="${x(row.noticeP99).toFixed(1)}" height="14" fill="#9db7f5"/>`,
        `<rect x="${left}" y="${y + 20}" width="${x(row.noticeP50).toFixed(1)}" height="14" fill="#215ae5"/>`,
        `<text x="${left + x(row.noticeP99) + 4}" y="${y + 15}" font-size="11">p99 ${fmt(row.noticeP99)} ms</text>`,
        `<text x="${left + x(row.noticeP50) + 4}" y="${y + 31}" font-size="11">p50 ${fmt(row.noticeP50)} ms</text>`,
      ].join("");
    })
    .join("\n");
  const ticks = [1, 10, 100, 1000, 10000]
    .filter((tick) => tick <= max)
    .map((tick) => `<line x1="${left + x(tick)}" y1="44" x2="${left + x(tick)}" y2="${height - 24}" stroke="#ddd"/><text x="${left + x(tick)}" y="${height - 10}" font-size="11" text-anchor="middle">${tick} ms</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="24" font-size="14" font-weight="600">Confirm → the waiting browser notices (log scale; ${results.browsers} browsers, ${results.date.slice(0, 10)})</text>
${ticks}
${bars}
</svg>
`;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

type Results = {
  date: string;
  machine: string;
  browsers: number;
  seconds: number;
  confirmations: number;
  modes: Figures[];
  capacity: Figures[];
  chromium: { runs: number; waiting: { p50: number; p90: number; ms: number[] }; polling: { p50: number; p90: number; ms: number[] } };
};

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Benchmark on ${machine}`);

const modes: Figures[] = [];
console.log(`\n1. ${BROWSERS} browsers on one instance, ${SECONDS} s each mode`);
modes.push(await oneInstance("waiting", BROWSERS, SECONDS, CONFIRMATIONS, "waiting status (this app)"));
modes.push(await oneInstance("poll-800ms", BROWSERS, SECONDS, CONFIRMATIONS, "baseline: fixed 800 ms polling (Authing's web SDK)"));
modes.push(await oneInstance("1s-after-answer", BROWSERS, SECONDS, CONFIRMATIONS, "baseline: 1 s after each answer (Guard)"));

console.log("\n2. Two instances on one Redis");
modes.push(await twoInstancesOnRedis());

console.log("\n3. How many waiting browsers one instance holds");
const capacity: Figures[] = [];
for (const browsers of CAPACITY_STEPS) {
  const step = await oneInstance("waiting", browsers, 25, Math.min(CONFIRMATIONS, 100), `${browsers} waiting browsers`);
  capacity.push(step);
  if (!(step.noticeP99 <= NOTICE_P99_TARGET_MS && step.missed === 0)) break;
}

console.log("\n4. Confirm → signed in, headless Chromium");
const waitingMs = await confirmToSignedIn({});
const pollingMs = await confirmToSignedIn({ QR_STATUS_WAIT_SECONDS: "0" });

const results: Results = {
  date: new Date().toISOString(),
  machine,
  browsers: BROWSERS,
  seconds: SECONDS,
  confirmations: CONFIRMATIONS,
  modes,
  capacity,
  chromium: {
    runs: CHROMIUM_RUNS,
    waiting: { p50: percentile(waitingMs, 50), p90: percentile(waitingMs, 90), ms: waitingMs },
    polling: { p50: percentile(pollingMs, 50), p90: percentile(pollingMs, 90), ms: pollingMs },
  },
};

const outDir = path.join(projectRoot, "docs", "bench");
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(outDir, "results.md"), markdown(results));
writeFileSync(path.join(outDir, "notice-latency.svg"), svg(results));
console.log(`\n${markdown(results)}\nWrote docs/bench/results.json, results.md and notice-latency.svg.`);
process.exit(0);
