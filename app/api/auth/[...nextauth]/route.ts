export { nextAuthRoute as GET, nextAuthRoute as POST } from "@/lib/auth/nextauth-route";
