// @vitest-environment jsdom
import { act, cleanup, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { BrowserQrCode } from "@/lib/qr-login/client/flow/browser-qr-login";

import { useQrCodeRenewal } from "./use-qr-code-renewal";

const code = (qrcodeId: string) => ({ qrcodeId }) as BrowserQrCode;
const nextTurn = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

function setVisibility(state: "visible" | "hidden") {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

type Props = Parameters<typeof useQrCodeRenewal>[0];

afterEach(() => {
  cleanup();
  setVisibility("visible");
});

describe("useQrCodeRenewal", () => {
  it("replaces an expired code once, on the next turn, and says so until the new one arrives", async () => {
    const renew = vi.fn();
    const initialProps: Props = { expired: true, qrCode: code("a"), creating: false, renewals: 0, maxRenewals: 3, renew };
    const { result, rerender } = renderHook((props: Props) => useQrCodeRenewal(props), { initialProps });
    expect(result.current).toBe(true);
    expect(renew).not.toHaveBeenCalled();
    await nextTurn();
    expect(renew).toHaveBeenCalledTimes(1);
    rerender({ ...initialProps, creating: true });
    expect(result.current).toBe(true);
    await nextTurn();
    expect(renew).toHaveBeenCalledTimes(1);
    rerender({ ...initialProps, expired: false, qrCode: code("b"), renewals: 1 });
    expect(result.current).toBe(false);
  });

  it("stops at maxRenewals and renews nothing that has not expired", async () => {
    const renew = vi.fn();
    const { result, rerender } = renderHook((props: Props) => useQrCodeRenewal(props), {
      initialProps: { expired: true, qrCode: code("a"), creating: false, renewals: 3, maxRenewals: 3, renew },
    });
    await nextTurn();
    expect(result.current).toBe(false);
    rerender({ expired: false, qrCode: code("a"), creating: false, renewals: 0, maxRenewals: 3, renew });
    await nextTurn();
    expect(result.current).toBe(false);
    expect(renew).not.toHaveBeenCalled();
  });

  it("waits while the page is hidden and renews once it is seen again", async () => {
    setVisibility("hidden");
    const renew = vi.fn();
    const { result } = renderHook(() =>
      useQrCodeRenewal({ expired: true, qrCode: code("a"), creating: false, renewals: 0, maxRenewals: 3, renew }),
    );
    await nextTurn();
    expect(result.current).toBe(false);
    expect(renew).not.toHaveBeenCalled();
    act(() => setVisibility("visible"));
    await nextTurn();
    expect(renew).toHaveBeenCalledTimes(1);
  });
});
