import type { FastifyInstance } from "fastify";
import { homeFor } from "./navigation.ts";

export async function homeRoutes(app: FastifyInstance) {
  app.get("/", async (request, reply) => {
    if (request.staff) return reply.redirect(homeFor(request.staff));
    return reply.render("start.njk", { title: "Self-directed support" });
  });
}
