export { DELETE, GET } from "@/lib/qr-login/routes/held-sign-in";
