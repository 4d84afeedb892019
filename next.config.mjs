/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tests build into their own folder so they never clobber a running `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ["better-sqlite3"],
  // `npm test` type-checks once with `tsc` before it builds, so the test build may skip it.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === "1" },
  poweredByHeader: false,
};

export default nextConfig;
