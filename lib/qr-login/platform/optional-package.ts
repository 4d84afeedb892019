import "server-only";

import { ConfigError } from "@/lib/qr-login/platform/config";

/**
 * Telemetry, metrics, Redis and readable logs are the host's choice: their packages
 * (@opentelemetry/api, prom-client, redis, pino-pretty) are not dependencies of the registry
 * items. Each is imported at run time, only when its variable turns the feature on, past the
 * bundler (so an app without it builds). This says what to add when the variable is set and the
 * package is not there.
 */
export function missingPackage(name: string, variable: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const notFound = (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes(name);
  if (!notFound) return error;
  return new ConfigError([`${variable} is set, which needs the package ${name}: add it to the app (npm install ${name}) or unset ${variable}`]);
}
