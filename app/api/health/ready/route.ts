export { readinessRoute as GET } from "@/lib/health/readiness";
