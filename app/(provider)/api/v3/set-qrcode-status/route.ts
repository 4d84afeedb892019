export { GET, POST, PUT, PATCH, DELETE } from "@/lib/provider/routes/set-qrcode-status";
