// @vitest-environment jsdom
import { act, cleanup, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { SWRConfig } from "swr";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { QrCodeStatus } from "@/lib/qr-login/client/authing/schemas";
import type { BrowserQrCode } from "@/lib/qr-login/client/flow/browser-qr-login";

import { useQrLoginStatus } from "./use-qr-login-status";

/**
 * The app's status endpoint as the page meets it, in the page's own fetch: it answers at once
 * unless asked to wait for a change, then holds the request until the status changes or the
 * browser aborts it.
 */
function statusEndpoint() {
  const statuses = new Map<string, QrCodeStatus>();
  const waiters = new Set<() => void>();
  const requests: { qrcodeId: string; aborted: boolean }[] = [];
  const expiresAt = new Date(Date.now() + 120_000).toISOString();

  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), "http://app.test");
    const qrcodeId = url.searchParams.get("qrcodeId") ?? "";
    const request = { qrcodeId, aborted: false };
    requests.push(request);
    const signal = init?.signal;
    const knownStatus = url.searchParams.get("knownStatus");
    await new Promise<void>((resolve, reject) => {
      const settle = () => {
        if (knownStatus !== null && statuses.get(qrcodeId) === knownStatus) return;
        waiters.delete(settle);
        resolve();
      };
      signal?.addEventListener("abort", () => {
        request.aborted = true;
        waiters.delete(settle);
        reject(new DOMException("The operation was aborted.", "AbortError"));
      });
      waiters.add(settle);
      // Answer on the next turn, as a network would, so an abort can land first.
      setTimeout(settle, 0);
    });
    const status = statuses.get(qrcodeId) ?? "PENDING";
    const scanner = status === "PENDING" ? undefined : { displayName: "Alice Chen", photo: "/avatar.svg" };
    return Response.json({ status, scanner, expiresAt });
  });

  return {
    fetch,
    requests,
    set(qrcodeId: string, status: QrCodeStatus) {
      statuses.set(qrcodeId, status);
      for (const wake of [...waiters]) wake();
    },
  };
}

const qrCodeOf = (qrcodeId: string): BrowserQrCode => ({
  qrcodeId,
  imageUrl: `/api/qr-login/image?qrcodeId=${qrcodeId}`,
  expiresAt: new Date(Date.now() + 120_000).toISOString(),
});

function StatusLine({ qrCode }: { qrCode: BrowserQrCode }) {
  const { status, scanner, error } = useQrLoginStatus(qrCode, { waitSeconds: 25, pollIntervalMs: 800 });
  return <p data-testid="status">{[status ?? "none", scanner?.displayName, error && `error: ${error.message}`].filter(Boolean).join(" ")}</p>;
}

function renderStrict(qrCode: BrowserQrCode) {
  // A cache of its own per render, as a fresh page would have.
  const tree = (code: BrowserQrCode) => (
    <StrictMode>
      <SWRConfig value={{ provider: () => new Map() }}>
        <StatusLine qrCode={code} />
      </SWRConfig>
    </StrictMode>
  );
  const view = render(tree(qrCode));
  return { rerender: (code: BrowserQrCode) => view.rerender(tree(code)) };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("useQrLoginStatus under React's Strict Mode (what `next dev` renders)", () => {
  it("keeps following its code after Strict Mode aborts the first request", async () => {
    const endpoint = statusEndpoint();
    vi.stubGlobal("fetch", endpoint.fetch);
    renderStrict(qrCodeOf("code-a"));

    expect(await screen.findByText("PENDING")).toBeTruthy();
    // Strict Mode's extra unmount did abort a request for the code still on screen.
    expect(endpoint.requests.some((request) => request.aborted && request.qrcodeId === "code-a")).toBe(true);

    act(() => endpoint.set("code-a", "SCANNED"));
    expect(await screen.findByText("SCANNED Alice Chen")).toBeTruthy();
    act(() => endpoint.set("code-a", "AUTHORIZED"));
    expect(await screen.findByText("AUTHORIZED Alice Chen")).toBeTruthy();
  });

  it("stops asking about a code that went away, and follows the new one", async () => {
    const endpoint = statusEndpoint();
    vi.stubGlobal("fetch", endpoint.fetch);
    const view = renderStrict(qrCodeOf("code-a"));
    expect(await screen.findByText("PENDING")).toBeTruthy();

    view.rerender(qrCodeOf("code-b"));
    await vi.waitFor(() => expect(endpoint.requests.some((request) => request.qrcodeId === "code-b")).toBe(true));
    // The held request for the old code was aborted, and no new one went out for it.
    const oldCodeRequests = endpoint.requests.filter((request) => request.qrcodeId === "code-a").length;
    expect(endpoint.requests.filter((request) => request.qrcodeId === "code-a").at(-1)?.aborted).toBe(true);

    act(() => endpoint.set("code-b", "SCANNED"));
    expect(await screen.findByText("SCANNED Alice Chen")).toBeTruthy();
    act(() => endpoint.set("code-a", "SCANNED"));
    expect(endpoint.requests.filter((request) => request.qrcodeId === "code-a")).toHaveLength(oldCodeRequests);
    expect(screen.getByTestId("status").textContent).toBe("SCANNED Alice Chen");
  });
});
