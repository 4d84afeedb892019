export { GET, POST, PUT, PATCH, DELETE } from "@/lib/provider/routes/signin";
