/** Percentiles, the Markdown tables and the hand-drawn SVG chart of `npm run bench`. */

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export type NoticeFigures = {
  label: string;
  browsers: number;
  seconds: number;
  confirmations: number;
  noticed: number;
  noticeMs: { p50: number; p95: number; p99: number; max: number; min: number };
  missed: number;
  /** CONFIRMs that failed or were not answered before the window ended. */
  confirmsNotDone: number;
  idleBrowsers: number;
  requestsPerIdleBrowserPerMinute: number;
  statusAnswersPerSecond: number;
  errors: number;
  errorKinds: Record<string, number>;
  phoneErrors: number;
  serverCpuSeconds: number;
  serverCpuMsPerStatusAnswer: number;
  serverPeakRssMb: number;
  serverRssAtEndMb: number;
  /** The load generator's own CPU seconds (same machine, same 2 cores). */
  generatorCpuSeconds: number;
  /** Held answers returned unchanged well before their wait ended. */
  earlyUnchangedAnswers: number;
  /** Status requests that asked for an answer at once (every poll; a waiting page's first). */
  immediateAnswerMs: { p50: number; p99: number; count: number };
  /** The phone's SCAN and CONFIRM round trips. */
  phoneActionMs: { p50: number; p99: number; count: number };
  /** Busy CPU of everything else on the machine during the window (other people's jobs). */
  otherCpuSeconds: number;
  extra?: Record<string, number | string>;
};

export type ChromiumFigures = { label: string; runs: number; p50: number; p90: number; noticeP50: number; samplesMs: number[] };

export type CapacityStep = NoticeFigures & { held: boolean };

export type Results = {
  date: string;
  machine: string;
  command: string;
  settings: Record<string, number | string>;
  modes: NoticeFigures[];
  redis: NoticeFigures | undefined;
  capacity: CapacityStep[];
  capacityHeld: number;
  chromium: ChromiumFigures[];
  notes: string[];
  durationSeconds: number;
};

const ms = (value: number) =>
  !Number.isFinite(value) ? "–" : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(Math.abs(value) < 10 ? 1 : 0)} ms`;
const num = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "–");
const kinds = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([kind, count]) => `${count}× ${kind}`)
    .join(", ");

function noticeRows(columns: NoticeFigures[]): string[] {
  const row = (name: string, cell: (figures: NoticeFigures) => string) => `| ${name} | ${columns.map(cell).join(" | ")} |`;
  return [
    `| | ${columns.map((figures) => figures.label).join(" | ")} |`,
    `|---|${columns.map(() => "---").join("|")}|`,
    row("Waiting browsers", (f) => String(f.browsers)),
    row("Notice latency p50", (f) => ms(f.noticeMs.p50)),
    row("Notice latency p95", (f) => ms(f.noticeMs.p95)),
    row("Notice latency p99", (f) => ms(f.noticeMs.p99)),
    row("Notice latency max", (f) => ms(f.noticeMs.max)),
    row("Confirmations missed", (f) => `${f.missed} of ${f.noticed + f.missed}`),
    row("Phone's CONFIRM not answered within the window", (f) => `${f.confirmsNotDone} of ${f.confirmations}`),
    row("Phone's SCAN/CONFIRM answered in, p50 / p99", (f) => `${ms(f.phoneActionMs.p50)} / ${ms(f.phoneActionMs.p99)}`),
    row("Immediate status answers (polls) in, p50 / p99", (f) => (f.immediateAnswerMs.count ? `${ms(f.immediateAnswerMs.p50)} / ${ms(f.immediateAnswerMs.p99)}` : "– (none: every request waits)")),
    row("Requests per idle browser per minute", (f) => num(f.requestsPerIdleBrowserPerMinute)),
    row("Status answers per second", (f) => num(f.statusAnswersPerSecond, 0)),
    row("Errors (non-200, resets, timeouts)", (f) => (f.errors + f.phoneErrors === 0 ? "0" : `${f.errors + f.phoneErrors} (${kinds(f.errorKinds)}${f.phoneErrors ? `; phone: ${f.phoneErrors}` : ""})`)),
    row("Server CPU seconds", (f) => `${num(f.serverCpuSeconds)} s (${num((100 * f.serverCpuSeconds) / f.seconds, 0)}% of a core)`),
    row("Server CPU per status answer", (f) => `${num(f.serverCpuMsPerStatusAnswer, 2)} ms`),
    row("Server peak RSS", (f) => `${num(f.serverPeakRssMb, 0)} MB`),
    row("Load generator CPU seconds", (f) => `${num(f.generatorCpuSeconds)} s`),
    row("Other processes' CPU seconds (not this bench)", (f) => `${num(f.otherCpuSeconds)} s`),
  ];
}

export function markdown(results: Results): string {
  const noticeColumns = [...results.modes, ...(results.redis ? [results.redis] : [])];
  const lines = [
    `# Waiting status vs polling: \`npm run bench\``,
    "",
    `Run ${results.date} on ${results.machine}, by \`${results.command}\` (${results.durationSeconds.toFixed(0)} s in all).`,
    "",
    `Each mode: a fresh production server (\`next start\`, SQLite store unless noted), ${results.settings.browsers} simulated login pages ` +
      `on it, measured for ${results.settings.seconds} s once they all follow (see the notes); phones confirm ` +
      `${results.settings.confirmations} of the pages, each at a random moment (SCAN, then CONFIRM 0.5–2 s later). Notice latency: ` +
      "the phone's CONFIRM answered → that page's status answer says AUTHORIZED. Missed: confirmed but not noticed before the window ended.",
    "",
    ...noticeRows(noticeColumns),
    "",
    `## Waiting browsers one instance holds (notice p99 ≤ 100 ms, nothing missed, no errors)`,
    "",
    `Held: **${results.capacityHeld > 0 ? results.capacityHeld.toLocaleString("en-US") : "none of the steps"}** waiting browsers` +
      (results.capacity.length && !results.capacity.at(-1)!.held ? ` (stopped at ${results.capacity.at(-1)!.browsers.toLocaleString("en-US")}).` : "."),
    "",
    "| Waiting browsers | Notice p50 | p95 | p99 | Missed | Errors | Requests per idle browser per minute | Server CPU | Server RSS (peak) | Held |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...results.capacity.map(
      (step) =>
        `| ${step.browsers.toLocaleString("en-US")} | ${ms(step.noticeMs.p50)} | ${ms(step.noticeMs.p95)} | ${ms(step.noticeMs.p99)} | ${step.missed} of ${step.noticed + step.missed} | ${step.errors + step.phoneErrors} | ${num(step.requestsPerIdleBrowserPerMinute)} | ${num((100 * step.serverCpuSeconds) / step.seconds, 0)}% of a core | ${num(step.serverRssAtEndMb, 0)} MB (${num(step.serverPeakRssMb, 0)} MB) | ${step.held ? "yes" : "no"} |`,
    ),
    "",
    `## Confirm → signed in, headless Chromium (${results.chromium[0]?.runs ?? 0} runs each)`,
    "",
    "| Login page | p50 | p90 | status seen (p50) |",
    "|---|---|---|---|",
    ...results.chromium.map((figures) => `| ${figures.label} | ${ms(figures.p50)} | ${ms(figures.p90)} | ${ms(figures.noticeP50)} |`),
    "",
    "## Notes",
    "",
    ...results.notes.map((note) => `- ${note}`),
    "",
  ];
  return lines.join("\n");
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Notice latency p50/p95/p99 per mode as grouped bars on a log scale, drawn by hand. */
export function svgChart(results: Results): string {
  const groups = [...results.modes, ...(results.redis ? [results.redis] : [])];
  const series = [
    { key: "p50" as const, color: "#1f5fd6" },
    { key: "p95" as const, color: "#6f98e8" },
    { key: "p99" as const, color: "#b9cdf5" },
  ];
  const width = 820;
  const left = 70;
  const right = 20;
  const top = 56;
  const plotHeight = 300;
  const bottom = 92;
  const height = top + plotHeight + bottom;
  const values = groups.flatMap((group) => series.map((s) => group.noticeMs[s.key])).filter((value) => Number.isFinite(value) && value > 0);
  const lowExp = Math.floor(Math.log10(Math.max(0.5, Math.min(1, ...values))));
  const highExp = Math.max(lowExp + 1, 3, Math.ceil(Math.log10(Math.max(10, ...values))));
  const y = (value: number) => {
    const clamped = Math.min(10 ** highExp, Math.max(10 ** lowExp, value));
    return top + plotHeight - ((Math.log10(clamped) - lowExp) / (highExp - lowExp)) * plotHeight;
  };
  const groupWidth = (width - left - right) / Math.max(1, groups.length);
  const barWidth = Math.min(48, (groupWidth - 30) / series.length);
  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${left}" y="24" font-size="15" font-weight="600">Confirm → the waiting page notices (notice latency, log scale)</text>`,
    `<text x="${left}" y="42" font-size="11" fill="#555">${escapeXml(`${results.settings.browsers} pages on one 2-core machine (load generator included), ${results.date.slice(0, 10)}; missed confirmations are not in the bars`)}</text>`,
  );
  for (let exp = lowExp; exp <= highExp; exp++) {
    const value = 10 ** exp;
    const label = value >= 1000 ? `${value / 1000} s` : `${value} ms`;
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e3e3e3"/>`,
      `<text x="${left - 6}" y="${(y(value) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#555">${label}</text>`,
    );
  }
  // The 100 ms target.
  parts.push(
    `<line x1="${left}" x2="${width - right}" y1="${y(100).toFixed(1)}" y2="${y(100).toFixed(1)}" stroke="#d33" stroke-dasharray="5 4"/>`,
    `<text x="${width - right - 4}" y="${(y(100) - 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#d33">p99 target 100 ms</text>`,
  );
  groups.forEach((group, index) => {
    const x0 = left + index * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((s, position) => {
      const value = group.noticeMs[s.key];
      if (!Number.isFinite(value)) return;
      const barTop = y(Math.max(value, 10 ** lowExp));
      const x = x0 + position * barWidth;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${(barWidth - 3).toFixed(1)}" height="${(top + plotHeight - barTop).toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${group.label} ${s.key}: ${value.toFixed(1)} ms`)}</title></rect>`,
        `<text x="${(x + (barWidth - 3) / 2).toFixed(1)}" y="${(barTop - 3).toFixed(1)}" font-size="9.5" text-anchor="middle">${escapeXml(ms(value))}</text>`,
      );
    });
    const words = group.label.split(" ");
    const lines: string[] = [""];
    for (const word of words) {
      if ((lines.at(-1)! + " " + word).trim().length > 26) lines.push(word);
      else lines[lines.length - 1] = `${lines.at(-1)} ${word}`.trim();
    }
    if (group.confirmsNotDone > 0) lines.push(`${group.confirmsNotDone}/${group.confirmations} CONFIRMs unanswered`);
    lines.push(`missed ${group.missed} of ${group.noticed + group.missed}`);
    if (series.every((s) => !Number.isFinite(group.noticeMs[s.key]))) {
      const cx = (left + index * groupWidth + groupWidth / 2).toFixed(1);
      parts.push(
        `<text x="${cx}" y="${top + plotHeight / 2}" font-size="11" text-anchor="middle" fill="#a33">no confirmation got through:</text>`,
        `<text x="${cx}" y="${top + plotHeight / 2 + 14}" font-size="11" text-anchor="middle" fill="#a33">the instance was overloaded</text>`,
      );
    }
    lines.forEach((line, row) =>
      parts.push(
        `<text x="${(left + index * groupWidth + groupWidth / 2).toFixed(1)}" y="${top + plotHeight + 18 + row * 13}" font-size="11" text-anchor="middle"${row === lines.length - 1 ? ' fill="#555"' : ""}>${escapeXml(line)}</text>`,
      ),
    );
  });
  series.forEach((s, position) =>
    parts.push(
      `<rect x="${width - right - 190 + position * 62}" y="50" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${width - right - 174 + position * 62}" y="60" font-size="11">${s.key}</text>`,
    ),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">\n${parts.join("\n")}\n</svg>\n`;
}
