import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";
import { sendError } from "../errors.ts";

/** Paths the single-page app must never shadow: they belong to the API and the sockets. */
const reservedPrefixes = ["/api/", "/app/", "/apps/", "/broadcasting/", "/metrics", "/widget.js", "/widget-demo"];

/**
 * Serves the agent web app (packages/web/dist) at `/`: its files as they are (hashed assets
 * cached for a year), and index.html for any other GET that is not an API path, so client-side
 * routes survive a reload. Without a build, `/` explains how to make one.
 */
export const webAppRoutes: FastifyPluginAsync<{ distPath: string }> = async (app, { distPath }) => {
  const indexPath = join(distPath, "index.html");
  if (!existsSync(indexPath)) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      sendError(reply, 503, "web.not_built", "The web app is not built; run `npm run build`."),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: distPath,
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => {
      reply.header("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  let index: Buffer | null = null;
  const sendIndex = async (_request: unknown, reply: import("fastify").FastifyReply) => {
    index ??= await readFile(indexPath);
    return reply.header("content-type", "text/html; charset=utf-8").header("cache-control", "no-cache").send(index);
  };
  app.get("/", { schema: { hide: true } }, sendIndex);
  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (reservedPrefixes.some((prefix) => path.startsWith(prefix))) {
      return sendError(reply, 404, "route.not_found", `No route for GET ${path}.`);
    }
    return sendIndex(request, reply);
  });
};
