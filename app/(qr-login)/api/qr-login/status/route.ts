export { GET } from "@/lib/qr-login/client/routes/qr-code-status";

// A waiting request is held up to 25 s (MAX_STATUS_WAIT_SECONDS): the platform must not cut it
// first. Segment config must be a literal in the route file itself.
export const maxDuration = 60;
