// Vercel sets VERCEL=1 on its build machines (and `npm run test:vercel` does).
const onVercel = process.env.VERCEL === "1";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tests build into their own folder so they never clobber a running `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // A self-contained server (.next/standalone/server.js) for self-hosting behind nginx; `next
  // start` serves the same build as before.
  output: "standalone",
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  // prom-client and redis keep state in modules (a registry; the error classes a store outage is
  // told by): one copy for every route and the proxy.
  serverExternalPackages: [...(onVercel ? [] : ["better-sqlite3"]), "prom-client", "redis", "@redis/client"],
  // prom-client is imported at run time, past the bundler (lib/qr-login/platform/metrics.ts: a package the
  // registry items leave optional), so the standalone server's trace is told to carry it. redis,
  // loaded the same way, is carried by instrumentation.ts's import of it instead: Next copies what
  // instrumentation.ts imports into every function, the proxy's too, which these globs never reach.
  outputFileTracingIncludes: { "/*": ["./node_modules/prom-client/**", "./node_modules/tdigest/**", "./node_modules/bintrees/**"] },
  // On Vercel REDIS_URL is required and lib/qr-login/provider/store loads SQLite only without it: the native addon
  // would only weigh down every function. outputFileTracingExcludes cannot keep it out (it does
  // not reach the instrumentation and proxy traces every function carries), so the build never
  // sees it. `npm run test:vercel` checks that no function carries it.
  ...(onVercel && { turbopack: { resolveAlias: { "better-sqlite3": "./lib/qr-login/provider/store/sqlite-unavailable.ts" } } }),
  // `npm test` type-checks once with `tsc` before it builds, so the test build may skip it.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === "1" },
  poweredByHeader: false,
  // As a new create-next-app 16 app has them: pages prerender what they can and read the request
  // only inside <Suspense>, so the starter proves itself under the settings its adopters run.
  cacheComponents: true,
  partialPrefetching: true,
  // `next dev` keeps its compiled routes on disk for its next start. The e2e tests start it once
  // per run, from a clean clone in CI, where writing that cache cost half again as much CPU as
  // compiling (test-support/app-server.ts sets TURBOPACK_DEV_CACHE=off). `npm run dev` keeps it.
  // `next start` loads every route at start by default. A test server answers a few routes and is
  // started about ninety times a run, so test-support/app-server.ts sets PRELOAD_ROUTES=off: each
  // route loads on its first request instead, which saved about a quarter of a start's CPU.
  experimental: {
    turbopackFileSystemCacheForDev: process.env.TURBOPACK_DEV_CACHE !== "off",
    preloadEntriesOnStart: process.env.PRELOAD_ROUTES !== "off",
  },
  // Development only: a phone on the same private network opens the QR's URL on the laptop's
  // LAN address, and the dev server must serve it its scripts.
  allowedDevOrigins: ["192.168.*.*", "10.*.*.*", "172.*.*.*", "*.local"],
  // No page of a sign-in flow may be framed: a framed confirm screen invites click-jacking.
  // URLs carry QR code ids, so they are not sent to other sites as referrers.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
