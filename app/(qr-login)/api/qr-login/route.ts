export { POST } from "@/lib/qr-login/client/routes/create-qr-code";
