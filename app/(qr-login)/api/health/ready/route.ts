export { readinessRoute as GET } from "@/lib/qr-login/platform/health/readiness";
