export { GET, POST, PUT, PATCH, DELETE } from "@/lib/qr-login/provider/routes/passkey-sign-in-options";
