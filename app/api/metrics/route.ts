import { getConfig } from "@/lib/config";
import { metricsResponse } from "@/lib/ops/metrics";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => metricsResponse(request, getConfig().ops.metricsToken);
