import "server-only";

import type { NextRequest } from "next/server";

const isArgumentList = (text: unknown) => typeof text === "string" && Array.isArray(JSON.parse(text));

/**
 * Anyone can POST to any page, with a `next-action` header (a fetch action: its arguments as a
 * JSON array, or a multipart form whose field "0" is that array) or a multipart form (a form
 * posted without JavaScript). Next decodes the body before it looks at the action, and a body
 * of another shape makes it throw: a 500 for a client's mistake. The proxy checks the shape
 * first and answers 400.
 */
export async function refuseMalformedServerAction(request: NextRequest): Promise<Response | undefined> {
  if (request.method !== "POST") return undefined;
  const contentType = request.headers.get("content-type") ?? "";
  const multipart = contentType.toLowerCase().startsWith("multipart/form-data");
  const fetchAction = request.headers.has("next-action");
  if (!multipart && !fetchAction) return undefined;
  try {
    if (multipart) {
      const form = await request.clone().formData();
      if (fetchAction && !isArgumentList(form.get("0"))) throw new Error("no argument list");
    } else if (!isArgumentList(await request.clone().text())) {
      throw new Error("no argument list");
    }
    return undefined;
  } catch {
    return new Response("Bad request: not a server action call", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
}
