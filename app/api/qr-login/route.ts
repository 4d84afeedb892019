export { POST } from "@/lib/qr-login/routes/create-qr-code";
