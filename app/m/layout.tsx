import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "Companion app" };

/** The companion "phone app": a phone-sized column, whatever the screen. */
export default function CompanionLayout({ children }: { children: ReactNode }) {
  return (
    <div className="phone-shell">
      <div className="phone">
        <header className="phone-header">
          <span className="app-mark" aria-hidden="true">◱</span>
          <span>Companion app</span>
        </header>
        <main className="phone-main">{children}</main>
      </div>
    </div>
  );
}
