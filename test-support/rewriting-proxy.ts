import http from "node:http";
import type { AddressInfo } from "node:net";

import { answerTypes, envelopeFields } from "./authing-answers";

export type RewritingProxy = {
  origin: string;
  /** How many times each field was written as null. */
  nulled: Map<string, number>;
  stop(): Promise<void>;
};

export const UNKNOWN_FIELD = "fieldNobodyKnows";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A reverse proxy that makes a provider answer as Authing may: in every `/api/v3/*` JSON answer
 * it writes `null` for each optional field left out (on a success apiCode and requestId, which
 * Authing's documents say a success does not return; in `data` the optional fields of the
 * answer's DTO and this project's extensions, see authing-answers.ts), and adds a field nobody
 * knows to the envelope and to `data`. Everything else passes through unchanged, Host included,
 * so the provider's pages, images and issuer live on the proxy's origin.
 */
export async function startRewritingProxy(target: string, port = 0): Promise<RewritingProxy> {
  const nulled = new Map<string, number>();
  const writeNull = (object: Record<string, unknown>, field: string) => {
    object[field] = null;
    nulled.set(field, (nulled.get(field) ?? 0) + 1);
  };

  const rewrite = (path: string, answer: unknown): unknown => {
    if (!isObject(answer) || typeof answer.statusCode !== "number") return answer;
    const rewritten: Record<string, unknown> = { ...answer, [UNKNOWN_FIELD]: "added by the rewriting proxy" };
    if (answer.statusCode === 200) for (const field of Object.keys(envelopeFields.optional)) writeNull(rewritten, field);
    const type = answerTypes.find((each) => each.path === path);
    if (type && isObject(answer.data)) {
      const data: Record<string, unknown> = { ...answer.data, [UNKNOWN_FIELD]: { nested: true } };
      for (const field of Object.keys({ ...type.optional, ...type.extensions })) if (data[field] === undefined) writeNull(data, field);
      rewritten.data = data;
    }
    return rewritten;
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", target);
    const api = url.pathname.startsWith("/api/v3/");
    // Plain JSON from the provider, to rewrite; everything else is piped as it comes.
    const headers = { ...request.headers };
    if (api) delete headers["accept-encoding"];
    const upstream = http.request(url, { method: request.method, headers }, (answer) => {
      if (!api || !String(answer.headers["content-type"] ?? "").includes("application/json")) {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const body = JSON.stringify(rewrite(url.pathname, JSON.parse(Buffer.concat(chunks).toString("utf8"))));
        const answerHeaders = { ...answer.headers, "content-length": String(Buffer.byteLength(body)) };
        delete answerHeaders["transfer-encoding"];
        response.writeHead(answer.statusCode ?? 502, answerHeaders).end(body);
      });
    });
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    nulled,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
