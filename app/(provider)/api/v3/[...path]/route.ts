export { GET, POST, PUT, PATCH, DELETE } from "@/lib/provider/routes/v3-unknown-endpoint";
