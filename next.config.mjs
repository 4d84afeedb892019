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
  serverExternalPackages: ["better-sqlite3", "prom-client", "redis", "@redis/client"],
  // `npm test` type-checks once with `tsc` before it builds, so the test build may skip it.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === "1" },
  poweredByHeader: false,
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
