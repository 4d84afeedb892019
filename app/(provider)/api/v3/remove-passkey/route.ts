export { GET, POST, PUT, PATCH, DELETE } from "@/lib/qr-login/provider/routes/remove-passkey";
