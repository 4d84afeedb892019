/**
 * What `better-sqlite3` resolves to in a Vercel build (next.config.mjs): there REDIS_URL is
 * required, so the SQLite store never opens, and the native addon stays out of every function.
 */
export default class SqliteUnavailable {
  constructor() {
    throw new Error("SQLite is not part of a Vercel build: set REDIS_URL");
  }
}
