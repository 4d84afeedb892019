// Deprecated twin of set-qrcode-status (Authing keeps both).
export { GET, POST, PUT, PATCH, DELETE } from "@/lib/qr-login/provider/routes/set-qrcode-status";
