export { GET, POST, PUT, PATCH, DELETE } from "@/lib/provider/routes/v2-qrcode-userinfo";
