export { GET, POST, PUT, PATCH, DELETE } from "@/lib/qr-login/provider/routes/get-qrcode-status";

// A waiting request is held up to 25 s (MAX_STATUS_WAIT_SECONDS): the platform must not cut it
// first. Segment config must be a literal in the route file itself.
export const maxDuration = 60;
