export { GET, POST, PUT, PATCH, DELETE } from "@/lib/qr-login/provider/routes/exchange-tokenset-with-qrcode-ticket";
