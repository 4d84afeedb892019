// Deprecated twin of set-qrcode-status (Authing keeps both).
export { GET, POST, PUT, PATCH, DELETE } from "../set-qrcode-status/route";
