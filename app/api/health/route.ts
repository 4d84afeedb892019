export { healthRoute as GET } from "@/lib/health/readiness";
