/**
 * npm run bench:telemetry — what tracing costs on the hot path: server CPU per status answer
 * (GET /api/qr-login/status, answered at once), side by side with telemetry
 *   off        OTEL_SDK_DISABLED=true (an endpoint set, but no SDK loaded),
 *   unset      no OTEL_EXPORTER_OTLP_ENDPOINT (the default: no SDK, no-op spans),
 *   sampled-off the SDK loaded with OTEL_TRACES_SAMPLER=always_off (spans made, none recorded),
 *   exporting  every span exported by OTLP/HTTP to a sink in this process.
 * Each mode gets its own production server (next start), warmed up, then ROUNDS × CODES requests
 * from CONCURRENCY keep-alive connections; CPU from /proc (utime + stime of the server).
 */
import http from "node:http";

import { freePort, startAppServer } from "../../test-support/app-server";
import { processTree, usageOf } from "./proc";

const CODES = Number(process.env.BENCH_CODES ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const CONCURRENCY = 8;

type Mode = { name: string; env: (sink: string) => Record<string, string> };
const modes: Mode[] = [
  { name: "off (OTEL_SDK_DISABLED)", env: (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_SDK_DISABLED: "true" }) },
  { name: "unset (default)", env: () => ({}) },
  { name: "SDK on, sampled off", env: (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: "always_off" }) },
  { name: "exporting (OTLP/HTTP)", env: (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink }) },
];

async function startSink(): Promise<{ url: string; spans: () => number; close: () => void }> {
  const port = await freePort();
  let bytes = 0;
  const server = http.createServer((request, response) => {
    request.on("data", (chunk: Buffer) => (bytes += chunk.length));
    request.on("end", () => response.writeHead(200, { "content-type": "application/x-protobuf" }).end());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, spans: () => bytes, close: () => server.close() };
}

function get(agent: http.Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ agent, host: "127.0.0.1", port, path, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
    request.end();
  });
}

async function measure(mode: Mode, sinkUrl: string) {
  const server = await startAppServer({ TRUSTED_PROXY_HOPS: "1", SEED_DEMO_USERS: "true", LOG_LEVEL: "warn", ...mode.env(sinkUrl) });
  try {
    const pages: { cookie: string; qrcodeId: string; address: string }[] = [];
    for (let i = 0; i < CODES; i++) {
      const address = `10.77.${i >> 8}.${i & 255}`;
      const response = await fetch(`${server.origin}/api/qr-login`, { method: "POST", headers: { "x-forwarded-for": address } });
      const { qrcodeId } = (await response.json()) as { qrcodeId: string };
      pages.push({ cookie: response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "), qrcodeId, address });
    }
    const agents = Array.from({ length: CONCURRENCY }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const run = async (rounds: number) => {
      let failures = 0;
      const jobs = Array.from({ length: rounds }, (_, round) => pages.map((page) => ({ page, round }))).flat();
      await Promise.all(
        agents.map(async (agent, worker) => {
          for (let i = worker; i < jobs.length; i += CONCURRENCY) {
            const { page } = jobs[i]!;
            const status = await get(agent, server.port, `/api/qr-login/status?qrcodeId=${page.qrcodeId}`, {
              cookie: page.cookie,
              "x-forwarded-for": page.address,
            });
            if (status !== 200) failures++;
          }
        }),
      );
      return failures;
    };
    await run(5);
    const pids = processTree(server.pid()!);
    const before = usageOf(pids).cpuSeconds;
    const started = performance.now();
    const failures = await run(ROUNDS);
    const wallMs = performance.now() - started;
    const cpu = usageOf(pids).cpuSeconds - before;
    for (const agent of agents) agent.destroy();
    const answers = ROUNDS * CODES;
    return { mode: mode.name, answers, failures, cpuMsPerAnswer: (cpu * 1000) / answers, answersPerSecond: answers / (wallMs / 1000) };
  } finally {
    await server.stop();
  }
}

async function main() {
  const sink = await startSink();
  const results = [];
  for (const mode of modes) {
    results.push(await measure(mode, sink.url));
    console.error(`measured: ${mode.name}`);
  }
  sink.close();
  console.log(`\nServer CPU per status answer (${ROUNDS * CODES} answers per mode, ${CONCURRENCY} connections)\n`);
  console.log("| Telemetry | CPU per answer | Answers/s | Non-200 |");
  console.log("|---|---|---|---|");
  for (const result of results) {
    console.log(`| ${result.mode} | ${result.cpuMsPerAnswer.toFixed(3)} ms | ${result.answersPerSecond.toFixed(0)} | ${result.failures} |`);
  }
  console.log(`\nOTLP bytes received by the sink: ${sink.spans()}`);
}

void main();
