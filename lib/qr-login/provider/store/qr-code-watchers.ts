import "server-only";

import { errorFields, log } from "@/lib/qr-login/platform/log";

import type { QrCodeChange } from "./types";

type Listener = (change: QrCodeChange) => void;

/** The waiters this process holds, by code: each store tells them of the transitions it sees. */
export class QrCodeWatchers {
  private readonly byCode = new Map<string, Set<Listener>>();

  add(id: string, onChange: Listener): () => void {
    let listeners = this.byCode.get(id);
    if (!listeners) this.byCode.set(id, (listeners = new Set()));
    // A wrapper per call, so one callback watching twice is removed once per unsubscribe.
    const listener: Listener = (change) => onChange(change);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.byCode.get(id) === listeners) this.byCode.delete(id);
    };
  }

  notify(change: QrCodeChange): void {
    for (const listener of [...(this.byCode.get(change.id) ?? [])]) {
      // A waiter's fault must not undo the transition it is told about, nor stop the others.
      try {
        listener(change);
      } catch (error) {
        log.error("qr_code.watcher_failed", "A QR code watcher failed; the transition stands", { qrcodeId: change.id, ...errorFields(error) });
      }
    }
  }

  watchedIds(): string[] {
    return [...this.byCode.keys()];
  }

  count(): number {
    let count = 0;
    for (const listeners of this.byCode.values()) count += listeners.size;
    return count;
  }

  clear(): void {
    this.byCode.clear();
  }
}
