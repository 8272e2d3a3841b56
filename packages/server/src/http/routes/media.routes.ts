import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { MediaUseCases } from "../../domain/media/media.usecases.ts";
import { requireUuid } from "../authentication.ts";

/**
 * `GET /api/v1/media/:media_id?key=…`: an attachment behind its capability URL, so <img>,
 * <video> and download links work without a bearer header.
 */
export const mediaRoutes: FastifyPluginAsyncZod<{ media: MediaUseCases }> = async (app, { media }) => {
  app.get(
    "/api/v1/media/:media_id",
    {
      schema: {
        tags: ["media"],
        summary: "An attachment (the URL comes from a message's media.url)",
        params: z.object({ media_id: z.string() }),
        querystring: z.object({ key: z.string().max(200).default("") }),
      },
    },
    async (request, reply) => {
      const { media: found, bytes } = await media.open(requireUuid(request.params.media_id, "media"), request.query.key);
      const filename = found.filename ?? found.id;
      return reply
        .header("content-type", found.mime)
        .header("content-length", bytes.byteLength)
        .header("content-disposition", `inline; filename*=UTF-8''${encodeURIComponent(filename)}`)
        // Uploaded bytes are the customer's: never let a browser sniff them into HTML or script.
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; media-src 'self'; img-src 'self'; style-src 'unsafe-inline'")
        .header("cache-control", "private, max-age=86400")
        .send(bytes);
    },
  );
};
