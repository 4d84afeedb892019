"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * Signs out, or says it could not: the server answers 503 and keeps the session when it cannot
 * record the sign-out (lib/qr-login/client/auth/nextauth-route.ts), and the page must not pretend otherwise.
 */
export function SignOutButton({ label = "Sign out", failedMessage = "Sign-out did not go through. You are still signed in; try again." }: { label?: string; failedMessage?: string }) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  const router = useRouter();
  return (
    <>
      <Button
        type="button"
        variant="outline"
        size="lg"
        disabled={pending}
        onClick={() => {
          setPending(true);
          setFailed(false);
          // Navigate ourselves: next-auth's own redirect uses NEXTAUTH_URL, which dev may not set.
          // The home page is rendered per request, so it shows the signed-out state at once.
          void signOut({ redirect: false })
            .then((answer: unknown) => {
              if (typeof (answer as { url?: unknown } | undefined)?.url !== "string") throw new Error("not signed out");
              router.replace("/");
              router.refresh();
            })
            .catch(() => {
              setFailed(true);
              setPending(false);
            });
        }}
      >
        {label}
      </Button>
      {failed ? (
        <Alert variant="destructive">
          <AlertDescription>{failedMessage}</AlertDescription>
        </Alert>
      ) : null}
    </>
  );
}
