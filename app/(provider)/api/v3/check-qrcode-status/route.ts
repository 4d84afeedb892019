// Deprecated twin of get-qrcode-status, same DTO (Authing keeps both).
export { GET, POST, PUT, PATCH, DELETE } from "@/lib/qr-login/provider/routes/get-qrcode-status";

export const maxDuration = 60;
