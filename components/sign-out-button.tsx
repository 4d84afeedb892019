"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

export function SignOutButton({ label = "Sign out" }: { label?: string }) {
  const [pending, setPending] = useState(false);
  const router = useRouter();
  return (
    <button
      type="button"
      className="button button-secondary"
      disabled={pending}
      onClick={() => {
        setPending(true);
        // Navigate ourselves: next-auth's own redirect uses NEXTAUTH_URL, which dev may not set.
        // The home page is rendered per request, so it shows the signed-out state at once.
        void signOut({ redirect: false }).finally(() => {
          router.replace("/");
          router.refresh();
        });
      }}
    >
      {label}
    </button>
  );
}
