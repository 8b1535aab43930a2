import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { STATIC_MOUNTS } from "./static-mounts.ts";

/**
 * `Cache-Control: no-store` on every response except the static files (GOV.UK Frontend, MOJ Frontend, our own),
 * which hold nothing about anyone. Pages, API answers, PDFs and payment files may name a person, and even a
 * public page carries a CSRF cookie and the answers a visitor typed, so no browser or proxy keeps a copy: one
 * rule here rather than one per route. A route that already says `no-store` (with `private`, say) keeps its own.
 */
export function mayBeCached(url: string): boolean {
  return STATIC_MOUNTS.some((mount) => url.startsWith(mount.prefix));
}

export const noStorePlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook("onSend", async (request, reply, payload) => {
      if (mayBeCached(request.url)) return payload;
      const current = reply.getHeader("cache-control");
      if (typeof current !== "string" || !/\bno-store\b/.test(current))
        reply.header("cache-control", "no-store");
      return payload;
    });
  },
  { name: "no-store" },
);
