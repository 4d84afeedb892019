"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton({ label = "Sign out" }: { label?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button button-secondary"
      disabled={pending}
      onClick={() => {
        setPending(true);
        // Navigate ourselves: next-auth's own redirect uses NEXTAUTH_URL, which dev may not set.
        void signOut({ redirect: false }).finally(() => window.location.assign("/"));
      }}
    >
      {label}
    </button>
  );
}
