export { healthRoute as GET } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";
