export { DELETE, GET } from "@/lib/qr-login/client/routes/held-sign-in";
