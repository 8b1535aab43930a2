import type { FastifyServerOptions } from "fastify";

/**
 * pino, with personal data kept out of logs: no cookies, tokens or bodies, and no query strings (searches
 * carry names).
 */
export function loggerOptions(level: string): FastifyServerOptions["logger"] {
  return {
    level,
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        "*.password",
        "*.email",
        "*.answers",
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split("?")[0],
      }),
    },
  };
}
