import type { FastifyInstance } from "fastify";

export type RouteEntry = { method: string; url: string };

/**
 * Every route the app has (HEAD and OPTIONS left out), read from Fastify's printRoutes tree: each line is a
 * path segment, indented four characters per level under its parent, followed by its methods.
 */
export function listRoutes(app: FastifyInstance): RouteEntry[] {
  const lines = app.printRoutes({ commonPrefix: false }).split("\n");
  const stack: string[] = [];
  const routes: RouteEntry[] = [];
  for (const line of lines) {
    const at = line.search(/[├└]── /);
    if (at === -1) continue;
    const depth = at / 4;
    const rest = line.slice(at + 4);
    const match = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(rest);
    if (!match) continue;
    const segment = match[1]!;
    stack.length = depth;
    stack.push(segment);
    const methods = match[2]?.split(", ") ?? [];
    const url = stack.join("");
    for (const method of methods) {
      if (method === "HEAD" || method === "OPTIONS") continue;
      routes.push({ method, url });
    }
  }
  return routes;
}
