import { config } from "zod/mini";

// Imported before any schema a browser bundle builds: the pages' CSP allows no eval, and zod's
// JIT probes for it (new Function) when it builds an object schema, which the browser reports as
// a violation even though zod catches the refusal. The server keeps the JIT.
if (typeof window !== "undefined") config({ jitless: true });
