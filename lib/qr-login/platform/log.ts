import "server-only";

import { createRequire } from "node:module";
import path from "node:path";

import pino, { type Logger } from "pino";

import { currentRequestId } from "./request-context";

/**
 * Field names that never reach a log line whatever a caller passes: pino blanks them. The code
 * logs none of them on purpose; this is the net under a mistake.
 */
const SECRET_FIELDS = ["ticket", "token", "accessToken", "refreshToken", "idToken", "access_token", "refresh_token", "id_token", "password", "pollSecret", "secret", "clientSecret", "client_secret", "authorization", "cookie"];

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function createLogger(): Logger {
  const production = process.env.NODE_ENV === "production";
  // An unknown LOG_LEVEL is reported by the configuration check; the logger must still work to say so.
  const given = process.env.LOG_LEVEL ?? "";
  const level = LEVELS.includes(given) ? given : process.env.NODE_ENV === "test" ? "warn" : "info";
  const options: pino.LoggerOptions = {
    level,
    base: { service: "qr-login" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)], censor: "[redacted]" },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  // Readable lines while developing, and for whoever runs `npm start` at a terminal (a start-up
  // refusal is read there), when the app has pino-pretty (a dev dependency of the starter, absent
  // in production images); JSON lines wherever the output is collected.
  const asked = process.env.LOG_FORMAT === "pretty";
  const readable = asked || (process.env.LOG_FORMAT !== "json" && (!production || process.stdout.isTTY === true));
  if (readable) {
    try {
      // From the app's own node_modules at run time, past the bundler: an app without it builds.
      const pretty = createRequire(path.join(process.cwd(), "package.json"))("pino-pretty") as { build(options: Record<string, unknown>): pino.DestinationStream };
      return pino(options, pretty.build({ sync: true, ignore: "pid,hostname,service", translateTime: "HH:MM:ss.l" }));
    } catch {
      // Not installed: JSON lines it is, said once when LOG_FORMAT=pretty asked for more.
      if (asked) {
        const json = pino(options);
        json.warn({ event: "config.warning", variable: "LOG_FORMAT" }, "LOG_FORMAT=pretty needs the package pino-pretty (npm install --save-dev pino-pretty): logging JSON lines");
        return json;
      }
    }
  }
  return pino(options);
}

const globalForLog = globalThis as typeof globalThis & { qrLoginLogger?: Logger };

/**
 * The one logger: a JSON line per event (`event` names it, `requestId` ties it to the request
 * and its x-request-id header), readable lines under `next dev`. LOG_LEVEL sets the level.
 */
export function logger(): Logger {
  return (globalForLog.qrLoginLogger ??= createLogger());
}

type Fields = Record<string, unknown>;

export const log = {
  info: (event: string, message: string, fields: Fields = {}) => logger().info({ event, ...fields }, message),
  warn: (event: string, message: string, fields: Fields = {}) => logger().warn({ event, ...fields }, message),
  error: (event: string, message: string, fields: Fields = {}) => logger().error({ event, ...fields }, message),
};

/** An error as log fields: its name and message, never its properties (which may carry a request). */
export const errorFields = (error: unknown): Fields =>
  error instanceof Error ? { err: { name: error.name, message: error.message, stack: error.stack } } : { err: { message: String(error) } };
