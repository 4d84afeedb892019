/**
 * `npm run bench`: how a phone's confirmation reaches the waiting login page, side by side in one
 * run: waiting status (one held request per page) vs fixed 800 ms polling (Authing's web SDK) vs
 * a request 1 s after each answer (Guard); how many waiting pages one instance holds; confirm →
 * signed in in headless Chromium; and two instances sharing one Redis. Production builds only
 * (`npm run test:build` first; NEXT_DIST_DIR picks the build). Reports, never asserts.
 *
 * Writes docs/bench/results.json, results.md and notice-latency.svg, and prints the table.
 *
 * Knobs (environment): BENCH_BROWSERS (1000), BENCH_SECONDS (45, per mode), BENCH_RAMP_SECONDS (5),
 * BENCH_SETTLE_SECONDS (20: the most to wait for every page's first answer before a window),
 * BENCH_CONFIRMATIONS (100), BENCH_CAPACITY_STEPS ("1000,2000,5000,10000": steps above
 * BENCH_BROWSERS continue on the waiting mode's instance), BENCH_CAPACITY_SECONDS (20),
 * BENCH_CAPACITY_CONFIRMATIONS (100), BENCH_CHROMIUM_RUNS (12),
 * BENCH_PARTS ("modes,redis,capacity,chromium,passkeys"), BENCH_OUT_DIR (docs/bench), CHROMIUM_PATH.
 */
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { projectRoot, startAppServer, testDistDir, type AppServer } from "../../test-support/app-server";
import { startRedisServer, type RedisServer } from "../../test-support/redis-server";
import { confirmToSignedIn } from "./chromium-sign-in";
import { cutOpenRequests, Fleet, MODE_LABELS, Phones, now, sample, type Mode, type SimulatedBrowser } from "./fleet";
import { MeasuredProcess, machineBusySeconds } from "./proc";
import { markdown, percentile, svgChart, type CapacityStep, type ChromiumFigures, type NoticeFigures, type Results } from "./report";

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
};

const settings = {
  browsers: int("BENCH_BROWSERS", 1000),
  seconds: int("BENCH_SECONDS", 45),
  rampSeconds: int("BENCH_RAMP_SECONDS", 5),
  settleSeconds: int("BENCH_SETTLE_SECONDS", 20),
  confirmations: int("BENCH_CONFIRMATIONS", 100),
  capacitySteps: (process.env.BENCH_CAPACITY_STEPS ?? "1000,2000,5000,10000").split(",").map(Number).filter((n) => n > 0),
  capacitySeconds: int("BENCH_CAPACITY_SECONDS", 20),
  capacityConfirmations: int("BENCH_CAPACITY_CONFIRMATIONS", 100),
  chromiumRuns: int("BENCH_CHROMIUM_RUNS", 12),
  parts: new Set((process.env.BENCH_PARTS ?? "modes,redis,capacity,chromium,passkeys").split(",").map((part) => part.trim())),
  outDir: path.resolve(projectRoot, process.env.BENCH_OUT_DIR ?? "docs/bench"),
};
const NOTICE_P99_TARGET_MS = 100;
/** Codes outlive the run; one address per page (TRUSTED_PROXY_HOPS=1 believes x-forwarded-for). */
// The held-wait cap is lifted: the capacity steps measure what one instance can hold.
const serverEnv = { TRUSTED_PROXY_HOPS: "1", SEED_DEMO_USERS: "true", QR_CODE_TTL_SECONDS: "900", QR_STATUS_MAX_HELD_WAITS: "100000" };

/** Stop functions of every server still running, for a clean exit on a signal. */
const running = new Set<() => Promise<void>>();

/** The server, with a stop() that also forgets it. */
function tracked<Server extends { stop(): Promise<void> }>(server: Server): Server {
  const stop = server.stop;
  const trackedStop = async () => {
    running.delete(trackedStop);
    await stop();
  };
  running.add(trackedStop);
  return Object.assign(server, { stop: trackedStop });
}

const startApp = async (env: Record<string, string>): Promise<AppServer> => tracked(await startAppServer(env));
const startRedis = async (): Promise<RedisServer> => tracked(await startRedisServer());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const startedAt = now();
const log = (line: string) => console.log(`[${((now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const mb = (bytes: number) => bytes / 2 ** 20;

type Window = {
  label: string;
  fleet: Fleet;
  phones: Phones;
  /** Servers whose CPU and memory count (summed), e.g. both instances and Redis. */
  servers: MeasuredProcess[];
  seconds: number;
  confirmations: number;
  /** How long phones still busy at the window's end may finish before the next step. */
  graceMs?: number;
};

/**
 * One measuring window over browsers that are already following: phones confirm a random sample
 * at random moments (none in the last 8 s), and everything is counted within the window only.
 */
async function measureWindow({ label, fleet, phones, servers, seconds, confirmations, graceMs = 0 }: Window): Promise<NoticeFigures> {
  const chosen = sample(fleet.idleBrowsers(), confirmations);
  for (const browser of chosen) browser.sampled = true;
  const idle = fleet.idleBrowsers();
  const requestsBefore = new Map(idle.map((browser) => [browser, browser.requests]));
  fleet.counters.immediateAnswerMs = fleet.counters.immediateAnswerMs.filter(([at]) => at >= now() - 1_000);
  const countersBefore = structuredClone(fleet.counters);
  const phoneErrorsBefore = { errors: phones.errors, kinds: { ...phones.errorKinds } };
  const cpuBefore = servers.map((server) => server.usage().cpuSeconds);
  for (const server of servers) server.startSampling();
  const generatorBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const windowStart = now();

  const confirming = phones.confirmAtRandomMoments(chosen, 1_000, Math.max(1_000, seconds * 1000 - 8_000));
  await sleep(seconds * 1000);

  // Everything is read at the window's end; nothing after it counts.
  const windowEnd = now();
  const generator = process.cpuUsage(generatorBefore);
  const machineBusy = machineBusySeconds() - machineBefore;
  const serverUsage = servers.map((server) => server.usage());
  const peaks = servers.map((server) => server.stopSampling());
  const counters = structuredClone(fleet.counters);
  const within = (samples: [number, number][]) => samples.filter(([at]) => at >= windowStart && at <= windowEnd).map(([, ms]) => ms);
  const immediate = within(counters.immediateAnswerMs);
  const phoneActions = within(phones.actionMs);
  const phoneErrors = { errors: phones.errors, kinds: { ...phones.errorKinds } };
  const stillIdle = idle.filter((browser) => !browser.done);
  const idleRequests = stillIdle.reduce((sum, browser) => sum + browser.requests - requestsBefore.get(browser)!, 0);
  const errorKinds: Record<string, number> = {};
  for (const [kind, count] of Object.entries(counters.errorKinds)) {
    const delta = count - (countersBefore.errorKinds[kind] ?? 0);
    if (delta > 0) errorKinds[kind] = delta;
  }
  for (const [kind, count] of Object.entries(phoneErrors.kinds)) {
    const delta = count - (phoneErrorsBefore.kinds[kind] ?? 0);
    if (delta > 0) errorKinds[`phone ${kind}`] = delta;
  }
  const notice: number[] = [];
  let missed = 0;
  let confirmsNotDone = 0;
  for (const browser of chosen) {
    if (browser.confirmAnsweredAt === undefined || browser.confirmAnsweredAt > windowEnd) {
      confirmsNotDone++;
      continue;
    }
    if (browser.noticedAt !== undefined && browser.noticedAt <= windowEnd) notice.push(browser.noticedAt - browser.confirmAnsweredAt);
    else missed++;
  }
  // Phones still busy (an overloaded server) get a little longer, so that the next step starts
  // clean where the server keeps up; an overloaded one is stopped right after anyway.
  if (graceMs > 0) await Promise.race([confirming, sleep(graceMs)]);

  const elapsed = (windowEnd - windowStart) / 1000;
  const statusAnswers = counters.statusAnswers - countersBefore.statusAnswers;
  const serverCpuSeconds = serverUsage.reduce((sum, usage, index) => sum + usage.cpuSeconds - cpuBefore[index]!, 0);
  const generatorCpuSeconds = (generator.user + generator.system) / 1e6;
  const figures: NoticeFigures = {
    label,
    browsers: fleet.browsers.length,
    seconds: elapsed,
    confirmations: chosen.length,
    noticed: notice.length,
    noticeMs: {
      p50: percentile(notice, 50),
      p95: percentile(notice, 95),
      p99: percentile(notice, 99),
      max: notice.length ? Math.max(...notice) : Number.NaN,
      min: notice.length ? Math.min(...notice) : Number.NaN,
    },
    missed,
    confirmsNotDone,
    idleBrowsers: stillIdle.length,
    requestsPerIdleBrowserPerMinute: stillIdle.length ? idleRequests / stillIdle.length / (elapsed / 60) : Number.NaN,
    statusAnswersPerSecond: statusAnswers / elapsed,
    errors: counters.errors - countersBefore.errors,
    errorKinds,
    phoneErrors: phoneErrors.errors - phoneErrorsBefore.errors,
    serverCpuSeconds,
    serverCpuMsPerStatusAnswer: statusAnswers ? (1000 * serverCpuSeconds) / statusAnswers : Number.NaN,
    serverPeakRssMb: mb(Math.max(...peaks)),
    serverRssAtEndMb: mb(Math.max(...serverUsage.map((usage) => usage.rssBytes))),
    generatorCpuSeconds,
    otherCpuSeconds: Math.max(0, machineBusy - serverCpuSeconds - generatorCpuSeconds),
    earlyUnchangedAnswers: counters.earlyUnchanged - countersBefore.earlyUnchanged,
    immediateAnswerMs: { p50: percentile(immediate, 50), p99: percentile(immediate, 99), count: immediate.length },
    phoneActionMs: { p50: percentile(phoneActions, 50), p99: percentile(phoneActions, 99), count: phoneActions.length },
  };
  log(
    `  ${label}: notice p50 ${figures.noticeMs.p50.toFixed(1)} / p95 ${figures.noticeMs.p95.toFixed(1)} / p99 ${figures.noticeMs.p99.toFixed(1)} ms, ` +
      `missed ${missed}/${notice.length + missed}, confirms not done ${confirmsNotDone}, errors ${figures.errors + figures.phoneErrors}` +
      `${Object.keys(errorKinds).length ? ` ${JSON.stringify(errorKinds)}` : ""}, ` +
      `${figures.requestsPerIdleBrowserPerMinute.toFixed(2)} req/idle browser/min, ${figures.statusAnswersPerSecond.toFixed(0)} answers/s, ` +
      `immediate answers p50 ${figures.immediateAnswerMs.p50.toFixed(0)} / p99 ${figures.immediateAnswerMs.p99.toFixed(0)} ms, phone actions p50 ${figures.phoneActionMs.p50.toFixed(0)} / p99 ${figures.phoneActionMs.p99.toFixed(0)} ms, server CPU ${serverCpuSeconds.toFixed(1)} s (${figures.serverCpuMsPerStatusAnswer.toFixed(2)} ms/answer), ` +
      `peak RSS ${figures.serverPeakRssMb.toFixed(0)} MB, generator CPU ${generatorCpuSeconds.toFixed(1)} s, other CPU ${figures.otherCpuSeconds.toFixed(1)} s` +
      (figures.earlyUnchangedAnswers ? `, ${figures.earlyUnchangedAnswers} held answers came back early unchanged` : ""),
  );
  return figures;
}

/** Starts `browsers` following (within the ramp), then waits until each has had a first answer. */
async function arrive(fleet: Fleet, browsers: SimulatedBrowser[]): Promise<void> {
  const began = now();
  fleet.follow(browsers, settings.rampSeconds * 1000);
  await sleep(settings.rampSeconds * 1000);
  const unsettled = await fleet.settle(browsers, settings.settleSeconds * 1000);
  // A moment for the first answers' follow-up requests to go out, then the window starts.
  await sleep(2_000);
  log(`  ${browsers.length} pages following after ${((now() - began) / 1000).toFixed(1)} s${unsettled ? ` (${unsettled} still without a first answer)` : ""}`);
}

async function createCrowd(fleet: Fleet, count: number): Promise<SimulatedBrowser[]> {
  const began = now();
  const created = await fleet.create(count, 32);
  log(`  ${count} codes created in ${((now() - began) / 1000).toFixed(1)} s`);
  return created;
}

/** 1,000 pages on one fresh instance, following in `mode`. */
async function oneInstance(mode: Mode): Promise<NoticeFigures> {
  log(`${MODE_LABELS[mode]}: ${settings.browsers} pages, one instance`);
  const server = await startApp(serverEnv);
  const fleet = new Fleet(server.origin, mode);
  const phones = new Phones(server.origin);
  try {
    const process_ = new MeasuredProcess("app", server.port);
    await phones.signIn();
    await arrive(fleet, await createCrowd(fleet, settings.browsers));
    return await measureWindow({ label: MODE_LABELS[mode], fleet, phones, servers: [process_], seconds: settings.seconds, confirmations: settings.confirmations });
  } finally {
    await fleet.stop();
    phones.close();
    await server.stop();
  }
}

/** Pages wait on instance 1; phones confirm through instance 2; both share one Redis. */
async function twoInstancesOnRedis(): Promise<NoticeFigures> {
  log(`Waiting status, two instances on one Redis: ${settings.browsers} pages on the first, phones on the second`);
  let redis: RedisServer | undefined;
  const servers: AppServer[] = [];
  let fleet: Fleet | undefined;
  let phones: Phones | undefined;
  try {
    redis = await startRedis();
    servers.push(await startApp({ ...serverEnv, REDIS_URL: redis.url }));
    servers.push(await startApp({ ...serverEnv, REDIS_URL: redis.url, NEXTAUTH_URL: servers[0]!.origin }));
    const [first, second] = servers as [AppServer, AppServer];
    const measured = [new MeasuredProcess("app 1", first.port), new MeasuredProcess("app 2", second.port), new MeasuredProcess("redis", redis.port)];
    fleet = new Fleet(first.origin, "waiting");
    phones = new Phones(second.origin);
    await phones.signIn();
    await arrive(fleet, await createCrowd(fleet, settings.browsers));
    const figures = await measureWindow({
      label: "Waiting status, 2 instances on Redis",
      fleet,
      phones,
      servers: measured,
      seconds: settings.seconds,
      confirmations: settings.confirmations,
    });
    figures.extra = { cpuNote: "server CPU and RSS: both instances and redis-server summed (RSS: the largest process)" };
    return figures;
  } finally {
    await fleet?.stop();
    phones?.close();
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
  }
}

const holds = (figures: NoticeFigures) =>
  figures.noticeMs.p99 <= NOTICE_P99_TARGET_MS &&
  figures.missed === 0 &&
  figures.confirmsNotDone === 0 &&
  figures.errors + figures.phoneErrors === 0;

/**
 * Waiting status on one instance: the first window (settings.browsers pages) is mode (a) and the
 * capacity ladder's first step; then pages are added on the same instance, step by step, until a
 * step misses the target (notice p99 ≤ 100 ms, nothing missed, no errors) or the steps run out.
 */
async function waitingAndCapacity(withCapacity: boolean): Promise<{ mode: NoticeFigures; steps: CapacityStep[] }> {
  const label = MODE_LABELS.waiting;
  const ladder = withCapacity ? settings.capacitySteps.filter((step) => step > settings.browsers) : [];
  log(`${label}: ${settings.browsers} pages, one instance${ladder.length ? `; then capacity steps ${ladder.join(" → ")} on the same instance` : ""}`);
  const server = await startApp(serverEnv);
  const fleet = new Fleet(server.origin, "waiting");
  const phones = new Phones(server.origin);
  const steps: CapacityStep[] = [];
  try {
    const measured = new MeasuredProcess("app", server.port);
    await phones.signIn();
    await arrive(fleet, await createCrowd(fleet, settings.browsers));
    const mode = await measureWindow({
      label,
      fleet,
      phones,
      servers: [measured],
      seconds: settings.seconds,
      confirmations: settings.confirmations,
      graceMs: 10_000,
    });
    if (withCapacity) steps.push({ ...mode, label: `${settings.browsers} waiting pages`, held: holds(mode) });
    for (const target of ladder) {
      if (!steps.at(-1)!.held) break;
      // Confirmed pages stop following; new ones keep `target` pages open.
      const open = fleet.browsers.filter((browser) => !browser.done).length;
      if (target > open) await arrive(fleet, await createCrowd(fleet, target - open));
      const figures = await measureWindow({
        label: `${target} waiting pages`,
        fleet,
        phones,
        servers: [measured],
        seconds: settings.capacitySeconds,
        confirmations: settings.capacityConfirmations,
        graceMs: 10_000,
      });
      steps.push({ ...figures, browsers: target, held: holds(figures) });
    }
    return { mode, steps };
  } finally {
    await fleet.stop();
    phones.close();
    await server.stop();
  }
}

async function chromiumRuns(label: string, env: Record<string, string>): Promise<ChromiumFigures> {
  log(`Confirm → signed in, headless Chromium: ${label}`);
  const runs = await confirmToSignedIn(startApp, { ...serverEnv, ...env }, settings.chromiumRuns, log);
  const signedIn = runs.map((run) => run.signedInMs);
  const noticed = runs.flatMap((run) => (run.noticeMs === undefined ? [] : [run.noticeMs]));
  const figures = { label, runs: runs.length, p50: percentile(signedIn, 50), p90: percentile(signedIn, 90), noticeP50: percentile(noticed, 50), samplesMs: signedIn };
  log(`  p50 ${figures.p50.toFixed(0)} ms, p90 ${figures.p90.toFixed(0)} ms (status seen p50 ${figures.noticeP50.toFixed(0)} ms)`);
  return figures;
}

/** The servers inherit this process's limit; 10,000 waiting pages need over 10,000 sockets each side. */
function openFilesLimit(): string {
  try {
    return execSync("ulimit -n", { shell: "/bin/sh" }).toString().trim();
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
  log(`Benchmark on ${machine}; build ${testDistDir}; open files limit ${openFilesLimit()}; load average ${readFileSync("/proc/loadavg", "utf8").trim()}`);
  const loadAtStart = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const modes: NoticeFigures[] = [];
  let redis: NoticeFigures | undefined;
  let steps: CapacityStep[] = [];
  const chromium: ChromiumFigures[] = [];

  if (settings.parts.has("modes") || settings.parts.has("capacity")) {
    const waiting = await waitingAndCapacity(settings.parts.has("capacity"));
    modes.push(waiting.mode);
    steps = waiting.steps;
  }
  if (settings.parts.has("modes")) {
    for (const mode of ["poll-800ms", "after-answer-1s"] as const) modes.push(await oneInstance(mode));
  }
  if (settings.parts.has("redis")) redis = await twoInstancesOnRedis();
  if (settings.parts.has("chromium")) {
    chromium.push(await chromiumRuns("Waiting status (default)", {}));
    chromium.push(await chromiumRuns("Polling every 800 ms (QR_STATUS_WAIT_SECONDS=0)", { QR_STATUS_WAIT_SECONDS: "0" }));
  }
  // What a passkey adds to the phone's CONFIRM (docs/passkeys.md), on a server of its own: printed, not in the table.
  if (settings.parts.has("passkeys")) execSync("npx tsx scripts/bench/passkey-confirm.mts", { cwd: projectRoot, stdio: "inherit" });

  const heldSteps = steps.filter((step) => step.held);
  const windows = [...modes, ...(redis ? [redis] : []), ...steps.slice(1)];
  const otherCores = windows.reduce((sum, w) => sum + w.otherCpuSeconds, 0) / Math.max(1e-9, windows.reduce((sum, w) => sum + w.seconds, 0));
  const results: Results = {
    date: new Date().toISOString(),
    machine,
    command: process.env.npm_lifecycle_event === "bench" ? "npm run bench" : `tsx scripts/bench/index.ts`,
    settings: {
      browsers: settings.browsers,
      seconds: settings.seconds,
      rampSeconds: settings.rampSeconds,
      confirmations: settings.confirmations,
      capacitySteps: settings.capacitySteps.join(","),
      capacitySeconds: settings.capacitySeconds,
      capacityConfirmations: settings.capacityConfirmations,
      chromiumRuns: settings.chromiumRuns,
      serverEnv: JSON.stringify(serverEnv),
    },
    modes,
    redis,
    capacity: steps,
    capacityHeld: heldSteps.length ? Math.max(...heldSteps.map((step) => step.browsers)) : 0,
    chromium,
    notes: [
      `Machine load: load average ${loadAtStart} at the start; during the measuring windows, processes outside this benchmark (other jobs on the machine) kept ${otherCores.toFixed(2)} of the ${cpus.length} cores busy on average (row "Other processes' CPU").` +
        (otherCores > 0.2 ? " With that much foreign load, latency figures are pessimistic; rerun on an idle machine to compare with the targets." : ""),
      ...(modes.some((figures) => figures.confirmations > 0 && figures.confirmsNotDone === figures.confirmations)
        ? [`"–" for notice latency: no phone's SCAN and CONFIRM got through to the overloaded instance within the window (the generator gives up on a request after 40 s), so there was nothing to notice; the overload shows in the errors and in how long its polls took.`]
        : []),
      `The load generator (one Node process: ${settings.browsers} simulated pages over node:http keep-alive, one agent and one binding cookie per page, plus the phones) and the servers share the same ${cpus.length} cores, so every figure includes that contention; "Load generator CPU seconds" shows its share.`,
      `Pages start following at random moments within a ${settings.rampSeconds} s ramp; each window starts once every page has had its first answer (at most ${settings.settleSeconds} s later) plus 2 s. Waiting pages re-ask at once after each answer; their first held request waits a random 1–25 s so that the crowd's 25 s cycles are spread as for pages opened at different moments.`,
      `Requests per idle browser per minute: status requests sent during the window by pages that were never confirmed.`,
      `Server CPU: utime+stime from /proc/<pid>/stat of the process listening on the server's port (and its descendants) over the window; RSS: VmRSS sampled every 250 ms.`,
      `Chromium: fresh context per run, one unreported warm-up run; the clock starts when the phone's CONFIRM is answered and stops when the home page first says "Signed in as" (timestamped in the page by a MutationObserver).`,
      `Capacity: the waiting mode's instance, its ${settings.browsers} pages the first step, then pages added step by step (the confirmed ones replaced), each later step measured for ${settings.capacitySeconds} s with ${settings.capacityConfirmations} confirmations; a step holds when notice p99 ≤ ${NOTICE_P99_TARGET_MS} ms with nothing missed, every CONFIRM answered and no errors. RSS: VmRSS of the server at the step's end (peak during the step).`,
      `Server env: ${JSON.stringify(serverEnv)}; build: ${testDistDir}; open files limit ${openFilesLimit()}.`,
    ],
    durationSeconds: (now() - startedAt) / 1000,
  };

  mkdirSync(settings.outDir, { recursive: true });
  writeFileSync(path.join(settings.outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const table = markdown(results);
  writeFileSync(path.join(settings.outDir, "results.md"), table);
  writeFileSync(path.join(settings.outDir, "notice-latency.svg"), svgChart(results));
  console.log(`\n${table}`);
  log(`wrote ${path.relative(projectRoot, settings.outDir)}/results.json, results.md and notice-latency.svg`);
}

// Stopped from outside (Ctrl-C, SIGTERM): stop the servers this run started rather than orphan them.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping ${running.size} server(s)`);
    cutOpenRequests();
    void Promise.allSettled([...running].map((stop) => stop())).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
