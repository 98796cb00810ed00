// The reference for the startup benchmark: a bare Fastify process answering one route.
import Fastify from "fastify";
const app = Fastify({ logger: false });
app.get("/api/health", async () => ({ status: "ok" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
