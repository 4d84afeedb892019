import { healthResponse } from "@/lib/health/readiness";
import { withRequestId } from "@/lib/ops/request-context";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => withRequestId(request, async () => healthResponse());
