import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/**
 * Opens the paths the website widget calls from customers' sites (its API and channel
 * authorisation) to every origin, and nothing else. Bearer tokens, not cookies, authenticate
 * those calls, so a wildcard origin grants a third-party page nothing it does not already hold.
 */
export async function registerWidgetCors(app: FastifyInstance, publicPathPrefixes: string[]): Promise<void> {
  await app.register(cors, {
    delegator: (request, callback) => {
      const path = request.url.split("?")[0] ?? "";
      const open = publicPathPrefixes.some((prefix) => path.startsWith(prefix));
      callback(null, open ? { origin: "*", methods: ["GET", "POST"], allowedHeaders: ["Authorization", "Content-Type"], maxAge: 86_400 } : { origin: false });
    },
  });
}
