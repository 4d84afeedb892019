/**
 * The load generator: simulated login pages ("browsers") following their code's status in one of
 * three ways, and phones confirming some of them. Plain node:http, one keep-alive agent per
 * browser (a browser has its own connections), one cookie jar (the binding cookie) per browser.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

import testApp from "../../test-support/test-app.json";

export type Mode = "waiting" | "poll-800ms" | "after-answer-1s";

export const MODE_LABELS: Record<Mode, string> = {
  waiting: "Waiting status (waitSeconds=25 & knownStatus)",
  "poll-800ms": "Fixed 800 ms polling (Authing SDK)",
  "after-answer-1s": "1 s after each answer (Guard)",
};

/** The longest a status request may take before the generator gives up on it (an error). */
const REQUEST_TIMEOUT_MS = 40_000;
const WAIT_SECONDS = 25;

export const now = () => performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const randomBetween = (low: number, high: number) => low + Math.random() * (high - low);

export type Answer = { status: number; body: string; setCookie: string[] };

class RequestFailure extends Error {
  constructor(
    readonly code: string,
    /** The request went out on a kept-alive socket the server may have just closed. */
    readonly reusedSocket = false,
  ) {
    super(code);
  }
}

/** Requests not yet answered, so that stopping can cut them (agent.destroy() skips queued ones). */
const openRequests = new Set<http.ClientRequest>();

/** Cuts every request still open (held, queued behind a busy socket, or in flight). */
export function cutOpenRequests(): void {
  for (const request of openRequests) request.destroy(Object.assign(new Error("stopped"), { code: "STOPPED" }));
  openRequests.clear();
}

export function send(
  agent: http.Agent,
  target: { host: string; port: number },
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: target.host, port: target.port, path, method: init.method ?? "GET", headers: init.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            setCookie: response.headers["set-cookie"] ?? [],
          }),
        );
        response.on("error", (error: NodeJS.ErrnoException) => reject(new RequestFailure(error.code ?? error.message)));
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) =>
      reject(new RequestFailure(error.code ?? error.message, request.reusedSocket && error.code === "ECONNRESET")),
    );
    // The clock starts now, not when a socket frees up (request.setTimeout would wait for one).
    const timer = setTimeout(() => request.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })), REQUEST_TIMEOUT_MS);
    openRequests.add(request);
    request.on("close", () => {
      clearTimeout(timer);
      openRequests.delete(request);
    });
    if (init.body) request.write(init.body);
    request.end();
  });
}

export function targetOf(origin: string): { host: string; port: number } {
  const url = new URL(origin);
  return { host: url.hostname, port: Number(url.port) };
}

export class SimulatedBrowser {
  readonly agent: http.Agent;
  cookie = "";
  qrcodeId = "";
  /** Status requests sent, and answered (200). */
  requests = 0;
  answers = 0;
  known: string | undefined;
  /** Chosen for a phone to confirm (then it is never counted as idle). */
  sampled = false;
  scanAnsweredAt: number | undefined;
  confirmAnsweredAt: number | undefined;
  confirmFailed = false;
  /** When this browser's status answer first said AUTHORIZED. */
  noticedAt: number | undefined;
  done = false;
  loop: Promise<void> | undefined;

  constructor(
    readonly index: number,
    mode: Mode,
  ) {
    // Fixed-interval polling can overlap its own requests, as a page's setInterval does (a
    // browser opens up to 6 connections per host); the other modes have one request at a time.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: mode === "poll-800ms" ? 6 : 1 });
  }

  /** A distinct documentation-range-like address per browser: creation is limited per address. */
  get address(): string {
    const n = this.index;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }
}

export type Counters = {
  statusRequests: number;
  statusAnswers: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Held answers that came back unchanged well before their wait ended (should be none). */
  earlyUnchanged: number;
  /** [answered at, ms] of status requests that asked for an answer at once (no wait). */
  immediateAnswerMs: [number, number][];
};

/** One server's crowd of login pages, all following in the same mode. */
export class Fleet {
  readonly browsers: SimulatedBrowser[] = [];
  readonly counters: Counters = { statusRequests: 0, statusAnswers: 0, errors: 0, errorKinds: {}, earlyUnchanged: 0, immediateAnswerMs: [] };
  /** Terminal statuses other than AUTHORIZED (should not happen within QR_CODE_TTL_SECONDS). */
  unexpected: Record<string, number> = {};
  private stopped = false;
  private readonly target: { host: string; port: number };

  constructor(
    readonly origin: string,
    readonly mode: Mode,
    private nextIndex = 1,
  ) {
    this.target = targetOf(origin);
  }

  private error(kind: string): void {
    if (this.stopped) return;
    this.counters.errors++;
    this.counters.errorKinds[kind] = (this.counters.errorKinds[kind] ?? 0) + 1;
  }

  /** Opens `count` new login pages (POST /api/qr-login, each from its own address). */
  async create(count: number, concurrency = 16): Promise<SimulatedBrowser[]> {
    const created: SimulatedBrowser[] = [];
    let remaining = count;
    const worker = async () => {
      while (remaining > 0) {
        remaining--;
        const browser = new SimulatedBrowser(this.nextIndex++, this.mode);
        for (let attempt = 1; ; attempt++) {
          try {
            const answer = await send(browser.agent, this.target, "/api/qr-login", {
              method: "POST",
              // Closed after: the page starts following later on a fresh connection, never on
              // one the server may be closing for idleness meanwhile.
              headers: { "x-forwarded-for": browser.address, "user-agent": "qr-login-bench", connection: "close" },
            });
            if (answer.status !== 201) throw new Error(`creating a code answered ${answer.status}: ${answer.body.slice(0, 200)}`);
            browser.cookie = answer.setCookie.map((header) => header.split(";")[0]).join("; ");
            browser.qrcodeId = (JSON.parse(answer.body) as { qrcodeId: string }).qrcodeId;
            break;
          } catch (error) {
            if (attempt >= 3) throw error;
            await sleep(500);
          }
        }
        created.push(browser);
        this.browsers.push(browser);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return created;
  }

  /** Each browser starts following at a random moment within the first `rampMs`. */
  follow(browsers: SimulatedBrowser[], rampMs: number): void {
    for (const browser of browsers) {
      browser.loop = (async () => {
        await sleep(Math.random() * rampMs);
        if (this.mode === "waiting") await this.waitingLoop(browser);
        else if (this.mode === "poll-800ms") await this.fixedIntervalLoop(browser, 800);
        else await this.afterAnswerLoop(browser, 1_000);
      })();
    }
  }

  private async askStatus(browser: SimulatedBrowser, query: string, waitSeconds = 0): Promise<string | undefined> {
    browser.requests++;
    this.counters.statusRequests++;
    const sentAt = now();
    const path = `/api/qr-login/status?qrcodeId=${browser.qrcodeId}${query}`;
    const headers = { cookie: browser.cookie, "user-agent": "qr-login-bench" };
    try {
      let answer: Answer;
      try {
        answer = await send(browser.agent, this.target, path, { headers });
      } catch (error) {
        // A browser retries an idempotent request once when a kept-alive socket was reset under
        // it (the server closed it as the request went out); counted, then retried likewise.
        if (!(error instanceof RequestFailure && error.reusedSocket) || this.stopped) throw error;
        this.error("ECONNRESET on a reused keep-alive socket (retried, as browsers do)");
        answer = await send(browser.agent, this.target, path, { headers });
      }
      if (answer.status !== 200) {
        this.error(`HTTP ${answer.status}`);
        return undefined;
      }
      this.counters.statusAnswers++;
      browser.answers++;
      if (waitSeconds === 0) this.counters.immediateAnswerMs.push([now(), now() - sentAt]);
      const { status } = JSON.parse(answer.body) as { status: string };
      if (waitSeconds > 0 && status === browser.known && now() - sentAt < waitSeconds * 1000 - 500) this.counters.earlyUnchanged++;
      if (status === "AUTHORIZED") {
        browser.noticedAt ??= now();
        browser.done = true;
      } else if (status === "CANCELLED" || status === "EXPIRED") {
        this.unexpected[status] = (this.unexpected[status] ?? 0) + 1;
        browser.done = true;
      }
      return status;
    } catch (error) {
      this.error(error instanceof RequestFailure ? error.code : String(error));
      return undefined;
    }
  }

  /** One request always open; the next goes out as soon as an answer arrives. */
  private async waitingLoop(browser: SimulatedBrowser): Promise<void> {
    // Pages in a steady state opened at different moments: the first held request ends after a
    // random part of the wait, so the crowd's 25 s cycles are spread rather than in step.
    let firstWait = true;
    while (!this.stopped && !browser.done) {
      let query = "";
      let waitSeconds = 0;
      if (browser.known) {
        waitSeconds = firstWait ? 1 + Math.floor(Math.random() * WAIT_SECONDS) : WAIT_SECONDS;
        firstWait = false;
        query = `&waitSeconds=${waitSeconds}&knownStatus=${browser.known}`;
      }
      const status = await this.askStatus(browser, query, waitSeconds);
      browser.known = status;
      if (status === undefined && !this.stopped) await sleep(1_000); // the page backs off after trouble
    }
  }

  /** A request every `intervalMs`, whether or not the last one was answered. */
  private async fixedIntervalLoop(browser: SimulatedBrowser, intervalMs: number): Promise<void> {
    const inFlight = new Set<Promise<unknown>>();
    let next = now();
    while (!this.stopped && !browser.done) {
      const pending = this.askStatus(browser, "");
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
      next += intervalMs;
      await sleep(Math.max(0, next - now()));
    }
    await Promise.allSettled(inFlight);
  }

  /** The next request `delayMs` after each answer (or failure). */
  private async afterAnswerLoop(browser: SimulatedBrowser, delayMs: number): Promise<void> {
    while (!this.stopped && !browser.done) {
      await this.askStatus(browser, "");
      if (!browser.done && !this.stopped) await sleep(delayMs);
    }
  }

  /**
   * Waits (at most `maxMs`) until each browser has had its first answer, so that a window starts
   * in the steady state rather than while the crowd is still arriving. Resolves with how many
   * had not.
   */
  async settle(browsers: SimulatedBrowser[], maxMs: number): Promise<number> {
    const deadline = now() + maxMs;
    let pending = browsers.filter((browser) => browser.answers === 0 && !browser.done);
    while (pending.length > 0 && now() < deadline) {
      await sleep(200);
      pending = pending.filter((browser) => browser.answers === 0 && !browser.done);
    }
    return pending.length;
  }

  /** Ends every loop: held requests are cut (not counted as errors) and sockets closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    cutOpenRequests();
    for (const browser of this.browsers) browser.agent.destroy();
    await Promise.allSettled(this.browsers.map((browser) => browser.loop));
  }

  idleBrowsers(): SimulatedBrowser[] {
    return this.browsers.filter((browser) => !browser.sampled && !browser.done);
  }
}

/** The companion phone (one signed-in user), confirming codes through the V3 API. */
export class Phones {
  private token = "";
  // A connection per action: a phone's requests are seconds apart, and a kept-alive socket the
  // server closes for idleness just as a CONFIRM goes out would fail it (a POST is not retried).
  private readonly agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  private readonly target: { host: string; port: number };
  errors = 0;
  errorKinds: Record<string, number> = {};
  /** [answered at, ms] of every SCAN and CONFIRM answered. */
  actionMs: [number, number][] = [];

  constructor(readonly origin: string) {
    this.target = targetOf(origin);
  }

  private async v3(path: string, body: unknown, headers: Record<string, string> = {}) {
    const answer = await send(this.agent, this.target, path, {
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
    if (answer.statusCode !== 200 || !answer.data.access_token) throw new Error(`phone sign-in failed: ${answer.message}`);
    this.token = answer.data.access_token;
  }

  private async action(qrcodeId: string, action: "SCAN" | "CONFIRM"): Promise<boolean> {
    const sentAt = now();
    try {
      const answer = await this.v3("/api/v3/set-qrcode-status", { qrcodeId, action }, { authorization: this.token });
      this.actionMs.push([now(), now() - sentAt]);
      if (answer.statusCode === 200) return true;
      this.errorKinds[`${action} ${answer.statusCode}`] = (this.errorKinds[`${action} ${answer.statusCode}`] ?? 0) + 1;
    } catch (error) {
      const kind = `${action} ${error instanceof RequestFailure ? error.code : String(error)}`;
      this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    }
    this.errors++;
    return false;
  }

  /**
   * Scans each browser's code at a random moment in [fromMs, toMs] from now, then confirms
   * `readingMs` later (0.5–2 s: a person reading the phone). Resolves when every confirmation has been answered.
   */
  async confirmAtRandomMoments(
    browsers: SimulatedBrowser[],
    fromMs: number,
    toMs: number,
    readingMs: [number, number] = [500, 2_000],
  ): Promise<void> {
    await Promise.all(
      browsers.map(async (browser) => {
        browser.sampled = true;
        await sleep(randomBetween(fromMs, toMs));
        if (!(await this.action(browser.qrcodeId, "SCAN"))) return void (browser.confirmFailed = true);
        browser.scanAnsweredAt = now();
        await sleep(randomBetween(...readingMs));
        if (!(await this.action(browser.qrcodeId, "CONFIRM"))) return void (browser.confirmFailed = true);
        browser.confirmAnsweredAt = now();
      }),
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Picks `count` browsers at random. */
export function sample<T>(items: T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}
