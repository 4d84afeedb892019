// Preloaded (node --import) into a child process to play a host app that has not installed redis:
// "redis" and "@redis/…" resolve to nothing, for require (createRequire included) and import alike.
import Module, { register } from "node:module";

const unresolvable = (specifier) => specifier === "redis" || specifier.startsWith("redis/") || specifier.startsWith("@redis/");

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (unresolvable(request)) throw Object.assign(new Error(`Cannot find module '${request}'`), { code: "MODULE_NOT_FOUND" });
  return resolveFilename.call(this, request, ...rest);
};

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === "redis" || specifier.startsWith("redis/") || specifier.startsWith("@redis/")) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: "ERR_MODULE_NOT_FOUND" });
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
