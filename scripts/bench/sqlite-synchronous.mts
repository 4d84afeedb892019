// What synchronous=FULL costs the SQLite store: a code's whole life (create, SCAN, CONFIRM,
// redeem: four commits) and a rate-limit hit, timed with every commit NORMAL, every commit FULL,
// and as shipped (FULL only for the writes that matter: here CONFIRM and redeem), on one disk.
// Run: npx tsx --conditions=react-server scripts/bench/sqlite-synchronous.mts [DIR] (default: os.tmpdir()).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import type { UserRecord } from "@/lib/qr-login/provider/store/types";

const ROUNDS = Number(process.env.SYNC_BENCH_ROUNDS ?? 300);
const base = process.argv[2] ?? os.tmpdir();

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 0.5).toFixed(3)} ms, p99 ${percentile(sorted, 0.99).toFixed(3)} ms, mean ${(samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(3)} ms`;
};

type Mode = "all NORMAL" | "all FULL" | "as shipped";

async function measure(mode: Mode) {
  const dir = mkdtempSync(path.join(base, "sqlite-sync-"));
  const store = new SqliteStore(path.join(dir, "provider.sqlite"));
  const internals = store as unknown as { db: { pragma(sql: string): unknown }; durableSynchronous: string };
  if (mode === "all NORMAL") internals.durableSynchronous = "NORMAL";
  // durable() sets NORMAL again after each write that matters; the rest would run FULL.
  if (mode === "all FULL") internals.db.pragma = ((pragma) => (sql: string) => pragma(sql.replace("NORMAL", "FULL")))(internals.db.pragma.bind(internals.db));
  if (mode === "all FULL") internals.db.pragma("synchronous = FULL");
  const now = Date.now();
  const user: UserRecord = { id: "u1", username: "bench", email: null, passwordHash: "x", nickname: null, photo: null, createdAt: now, updatedAt: now };
  await store.insertUser(user);
  const lifecycle: number[] = [];
  const rateLimit: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const id = randomBytes(16).toString("base64url");
    const ticket = randomBytes(32).toString("base64url");
    const start = performance.now();
    await store.insertQrCode({ id, appId: "app", content: "x", customData: null, context: null, pollSecretHash: null, createdAt: now, expiresAt: now + 120_000 });
    await store.scanQrCode({ id, userId: user.id, now });
    await store.confirmQrCode({ id, userId: user.id, now, ticket, ticketExpiresAt: now + 300_000 });
    await store.redeemTicket({ ticket, appId: "app", now });
    lifecycle.push(performance.now() - start);
    const hit = performance.now();
    await store.consumeRateLimit(`bench:${round % 10}`, 1_000_000, 60, now);
    rateLimit.push(performance.now() - hit);
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { lifecycle: summary(lifecycle), rateLimit: summary(rateLimit) };
}

console.log(`SQLite store on ${base}, ${ROUNDS} rounds each (journal_mode=WAL)`);
for (const mode of ["all NORMAL", "all FULL", "as shipped", "all NORMAL", "all FULL", "as shipped"] as const) {
  const result = await measure(mode);
  console.log(`${mode.padEnd(10)} code life (4 commits): ${result.lifecycle} | rate-limit hit: ${result.rateLimit}`);
}
