export { GET, POST, PUT, PATCH, DELETE } from "@/lib/qr-login/provider/routes/v2-qrcode-cancel";
