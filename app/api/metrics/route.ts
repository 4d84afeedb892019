export { metricsRoute as GET } from "@/lib/ops/metrics";
