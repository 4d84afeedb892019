/**
 * CPU time and memory of server processes, read from /proc (Linux only). A server is found by the
 * port it listens on, so whatever `next start` runs (one process or a tree) is measured.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ); 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = Number.parseInt(fields[1]!.split(":")[1] ?? "", 16);
      if (localPort === port && fields[3] === "0A") inodes.add(fields[9]!);
    }
  }
  return inodes;
}

const numericEntries = (dir: string) => {
  try {
    return readdirSync(dir).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
};

/** The process that holds the listening socket on `port` (127.0.0.1 or any address). */
export function pidListeningOn(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const pid of numericEntries("/proc")) {
    for (const fd of numericEntries(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const match = /^socket:\[(\d+)\]$/.exec(target);
        if (match && inodes.has(match[1]!)) return Number(pid);
      } catch {
        // Closed meanwhile, or not ours to read.
      }
    }
  }
  return undefined;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state is index 0, ppid 1, utime 11, stime 12.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of numericEntries("/proc")) {
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

export type Usage = { cpuSeconds: number; rssBytes: number; hwmBytes: number };

/** utime+stime, VmRSS and VmHWM summed over the processes (those that have ended count 0). */
export function usageOf(pids: number[]): Usage {
  let cpuSeconds = 0;
  let rssBytes = 0;
  let hwmBytes = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) continue;
    cpuSeconds += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      rssBytes += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      hwmBytes += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // Ended.
    }
  }
  return { cpuSeconds, rssBytes, hwmBytes };
}

/** A measured process (tree), found by its listening port. */
export class MeasuredProcess {
  readonly pid: number;
  private peakRss = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly label: string,
    port: number,
  ) {
    const pid = pidListeningOn(port);
    if (pid === undefined) throw new Error(`no process listens on port ${port}`);
    this.pid = pid;
  }

  pids(): number[] {
    return processTree(this.pid);
  }

  usage(): Usage {
    return usageOf(this.pids());
  }

  /** Samples VmRSS every `intervalMs` until stopSampling(); peakRss() is the highest seen. */
  startSampling(intervalMs = 250): void {
    this.stopSampling();
    this.peakRss = this.usage().rssBytes;
    this.timer = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, this.usage().rssBytes);
    }, intervalMs);
    this.timer.unref();
  }

  stopSampling(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.peakRss = Math.max(this.peakRss, this.usage().rssBytes);
    return this.peakRss;
  }

  peakRssBytes(): number {
    return this.peakRss;
  }
}

/** Busy CPU seconds of the whole machine (all cores) since boot, from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const [, ...fields] = line.trim().split(/\s+/);
  const ticks = fields.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) / TICKS_PER_SECOND;
}
