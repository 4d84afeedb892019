import "server-only";

import { v2PhoneAction } from "@/lib/qr-login/provider/v2/phone-route";

export const { GET, POST, PUT, PATCH, DELETE } = v2PhoneAction("CANCEL");
