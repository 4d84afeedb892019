/**
 * Simulated login pages and phones, over plain HTTP keep-alive sockets: the load generator that
 * `npm run bench` drives against production servers.
 */
import http from "node:http";
import { readFileSync, readdirSync } from "node:fs";

import testApp from "../../test-support/test-app.json" with { type: "json" };

export type Mode = "waiting" | "poll-800ms" | "1s-after-answer";

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 20_000 });

type Answer = { status: number; body: string };

function send(origin: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer & { setCookies: string[] }> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? "GET", headers: init.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), setCookies: response.headers["set-cookie"] ?? [] }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.setTimeout(60_000, () => request.destroy(new Error("timeout")));
    if (init.body) request.write(init.body);
    request.end();
  });
}

export type SimulatedBrowser = { index: number; qrcodeId: string; cookie: string };

/** Creates `count` codes, one per simulated visitor (each its own address: creation is limited per address). */
export async function createBrowsers(origin: string, count: number, concurrency = 40): Promise<SimulatedBrowser[]> {
  const browsers: SimulatedBrowser[] = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      const index = next++;
      const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
      const created = await send(origin, "/api/qr-login", { method: "POST", headers: { "x-forwarded-for": address } });
      if (created.status !== 201) throw new Error(`creating a code answered ${created.status}: ${created.body}`);
      const cookie = created.setCookies.map((header) => header.split(";")[0]).join("; ");
      browsers.push({ index, qrcodeId: (JSON.parse(created.body) as { qrcodeId: string }).qrcodeId, cookie });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return browsers;
}

export class Phone {
  private token = "";
  constructor(readonly origin: string) {}

  private async v3(path: string, body: unknown, headers: Record<string, string> = {}) {
    const answer = await send(this.origin, path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-authing-app-id": testApp.id, ...headers },
      body: JSON.stringify(body),
    });
    return JSON.parse(answer.body) as { statusCode: number; message: string; data: { access_token?: string } };
  }

  async signIn(): Promise<void> {
    const answer = await this.v3("/api/v3/signin", {
      connection: "PASSWORD",
      passwordPayload: { username: "alice", password: "scan-me-in" },
      client_id: testApp.id,
      client_secret: testApp.secret,
    });
    if (answer.statusCode !== 200) throw new Error(`phone sign-in failed: ${answer.message}`);
    this.token = answer.data.access_token!;
  }

  /** SCAN then CONFIRM; resolves when the CONFIRM is answered. */
  async approve(qrcodeId: string): Promise<void> {
    for (const action of ["SCAN", "CONFIRM"]) {
      const answer = await this.v3("/api/v3/set-qrcode-status", { qrcodeId, action }, { authorization: this.token });
      if (answer.statusCode !== 200) throw new Error(`${action} failed: ${answer.message}`);
    }
  }
}

export type RunResult = {
  mode: Mode;
  browsers: number;
  confirmations: number;
  seconds: number;
  noticeMs: number[];
  missed: number;
  errors: number;
  idleRequestsPerMinute: number;
};

/**
 * Every browser follows its code as `mode` says for `seconds`; phones (on `phoneOrigin`) confirm
 * `confirmations` of them at random moments. Notice latency: the phone's CONFIRM answered → that
 * browser's status answer saying AUTHORIZED.
 */
export async function runLoad(input: {
  origin: string;
  phoneOrigin: string;
  browsers: SimulatedBrowser[];
  mode: Mode;
  seconds: number;
  confirmations: number;
}): Promise<RunResult> {
  const { origin, browsers, mode, seconds } = input;
  const startedAt = Date.now();
  const endsAt = startedAt + seconds * 1000;
  const sample = new Set(shuffle(browsers.map((browser) => browser.index)).slice(0, input.confirmations));
  const confirmedAt = new Map<number, number>();
  const noticedAt = new Map<number, number>();
  let idleRequests = 0;
  let errors = 0;

  // Requests of idle browsers sent after the page's first one, within the run: the steady state.
  const counted = (browser: SimulatedBrowser, first: boolean) => !first && !sample.has(browser.index) && Date.now() < endsAt;
  const end = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), seconds * 1000));

  const answeredOnce = new Set<number>();
  let allAnswered = () => {};
  const warmedUp = new Promise<void>((resolve) => (allAnswered = resolve));

  async function statusOf(browser: SimulatedBrowser, query: string, first = false): Promise<string | undefined> {
    if (counted(browser, first)) idleRequests++;
    if (!first && !answeredOnce.has(browser.index)) {
      answeredOnce.add(browser.index);
      if (answeredOnce.size === browsers.length) allAnswered();
    }
    try {
      const request = send(origin, `/api/qr-login/status?qrcodeId=${browser.qrcodeId}${query}`, { headers: { cookie: browser.cookie } });
      request.catch(() => {});
      // A request still held when the run ends is left behind rather than waited for.
      const answer = await Promise.race([request, end]);
      if (!answer) return undefined;
      if (answer.status !== 200) {
        errors++;
        return undefined;
      }
      const { status } = JSON.parse(answer.body) as { status: string };
      if (status === "AUTHORIZED" && !noticedAt.has(browser.index)) noticedAt.set(browser.index, Date.now());
      return status;
    } catch {
      errors++;
      return undefined;
    }
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function follow(browser: SimulatedBrowser): Promise<void> {
    // Pages opened at different moments.
    const period = mode === "waiting" ? 1_000 : mode === "poll-800ms" ? 800 : 1_000;
    await sleep(Math.random() * period);
    let known: string | undefined;
    if (mode === "poll-800ms") {
      const inFlight: Promise<unknown>[] = [];
      while (Date.now() < endsAt && !noticedAt.has(browser.index)) {
        inFlight.push(statusOf(browser, "", inFlight.length === 0));
        await sleep(800);
      }
      await Promise.all(inFlight);
      return;
    }
    let first = true;
    while (Date.now() < endsAt && !noticedAt.has(browser.index)) {
      const wait = mode === "waiting" && known ? `&waitSeconds=25&knownStatus=${known}` : "";
      const status = await statusOf(browser, wait, first);
      first = false;
      if (status) known = status;
      else await sleep(1_000);
      if (mode === "1s-after-answer") await sleep(1_000);
    }
  }

  const phone = new Phone(input.phoneOrigin);
  await phone.signIn();
  const following = browsers.map(follow);
  // Phones act in the steady state: once every page has had its first answer and asks again.
  await Promise.race([warmedUp, sleep(seconds * 500)]);
  await sleep(1_000);
  const confirmFrom = Date.now();
  const phones = [...sample].map(async (index) => {
    const browser = browsers.find((candidate) => candidate.index === index)!;
    await sleep(Math.random() * Math.max(0, endsAt - confirmFrom - 5_000));
    try {
      await phone.approve(browser.qrcodeId);
      confirmedAt.set(index, Date.now());
    } catch {
      errors++;
    }
  });

  await Promise.all([...following, ...phones]);
  const noticeMs = [...confirmedAt].flatMap(([index, confirmed]) => {
    const noticed = noticedAt.get(index);
    return noticed === undefined ? [] : [Math.max(0, noticed - confirmed)];
  });
  const idleBrowsers = browsers.length - sample.size;
  return {
    mode,
    browsers: browsers.length,
    confirmations: confirmedAt.size,
    seconds,
    noticeMs,
    missed: confirmedAt.size - noticeMs.length,
    errors,
    idleRequestsPerMinute: idleRequests / idleBrowsers / (seconds / 60),
  };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU seconds (user + system) and RSS of a process and its children, from /proc. */
export function processUsage(pid: number): { cpuSeconds: number; rssBytes: number; peakRssBytes: number } {
  const pids = [pid, ...childrenOf(pid)];
  const ticks = 100;
  let cpuSeconds = 0;
  let rssBytes = 0;
  let peakRssBytes = 0;
  for (const id of pids) {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpuSeconds += (Number(fields[11]) + Number(fields[12])) / ticks;
      const status = readFileSync(`/proc/${id}/status`, "utf8");
      rssBytes += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      peakRssBytes += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // The process ended.
    }
  }
  return { cpuSeconds, rssBytes, peakRssBytes };
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) children.push(Number(entry), ...childrenOf(Number(entry)));
    } catch {
      // Gone.
    }
  }
  return children;
}
