export { metricsRoute as GET } from "@/lib/ops/metrics";

export const dynamic = "force-dynamic";
