export { GET, POST, PUT, PATCH, DELETE } from "@/lib/provider/routes/exchange-tokenset-with-qrcode-ticket";
