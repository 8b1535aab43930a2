import type { FastifyInstance } from "fastify";

export async function homeRoutes(app: FastifyInstance) {
  app.get("/", async (request, reply) => {
    if (request.staff) return reply.redirect("/people");
    return reply.render("start.njk", { title: "Self-directed support" });
  });
}
