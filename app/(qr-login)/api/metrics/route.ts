export { metricsRoute as GET } from "@/lib/qr-login/platform/metrics";
