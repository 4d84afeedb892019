// Deprecated twin of get-qrcode-status, same DTO (Authing keeps both).
export { GET, POST, PUT, PATCH, DELETE } from "../get-qrcode-status/route";

export const maxDuration = 60;
