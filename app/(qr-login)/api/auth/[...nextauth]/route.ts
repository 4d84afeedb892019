export { nextAuthRoute as GET, nextAuthRoute as POST } from "@/lib/qr-login/client/auth/nextauth-route";
