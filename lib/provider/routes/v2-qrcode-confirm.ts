import "server-only";

import { v2PhoneAction } from "@/lib/provider/v2/phone-route";

export const { GET, POST, PUT, PATCH, DELETE } = v2PhoneAction("CONFIRM");
