import { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { MediaUseCases } from "../../domain/media/media.usecases.ts";
import { requireUuid } from "../authentication.ts";
import { parseRange } from "../byte-range.ts";
import { sendError } from "../errors.ts";

/** Types a browser may show in place; anything else downloads, so it never runs in our origin. */
const inlineTypes = /^(image\/(jpeg|png|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

/**
 * `Content-Disposition` with the filename both as a plain ASCII fallback and as RFC 8187
 * UTF-8 (`filename*`), per RFC 6266 §4.3.
 */
export function contentDisposition(mime: string, filename: string): string {
  const disposition = inlineTypes.test(mime) ? "inline" : "attachment";
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** True when an `If-None-Match` list names `etag` (weak comparison, RFC 9110 §13.1.2). */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * `GET /api/v1/media/:media_id?key=…`: an attachment behind its capability URL, so <img>,
 * <video> and download links work without a bearer header. The key is handed only to members
 * of the workspace and to the widget session whose conversation holds the attachment (or that
 * uploaded it); a wrong or missing key is a 404, like an unknown id.
 *
 * Streamed from storage with single-range support (RFC 9110 §14), so audio and video seek:
 * `Range: bytes=…` answers 206 with `Content-Range`, an unsatisfiable range 416 with
 * `Content-Range: bytes *\/size`. The ETag is the SHA-256 of the bytes; `If-None-Match`
 * answers 304 and `If-Range` with another validator gets the whole.
 */
export const mediaRoutes: FastifyPluginAsyncZod<{ media: MediaUseCases }> = async (app, { media }) => {
  app.get(
    "/api/v1/media/:media_id",
    {
      schema: {
        tags: ["media"],
        summary: "An attachment (the URL comes from a message's media.url); supports Range",
        params: z.object({ media_id: z.string() }),
        querystring: z.object({ key: z.string().max(200).default("") }),
      },
    },
    async (request, reply) => {
      const opened = await media.open(requireUuid(request.params.media_id, "media"), request.query.key);
      const etag = `"${opened.sha256}"`;
      reply
        .header("etag", etag)
        .header("accept-ranges", "bytes")
        .header("cache-control", "private, max-age=86400")
        // Uploaded bytes are the customer's: never let a browser sniff them into HTML or script.
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; media-src 'self'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
      if (noneMatch(request.headers["if-none-match"], etag)) return reply.status(304).send();

      const size = opened.sizeBytes;
      const ifRange = request.headers["if-range"];
      const range = ifRange === undefined || String(ifRange).trim() === etag ? parseRange(request.headers.range, size) : null;
      if (range === "unsatisfiable") {
        reply.header("content-range", `bytes */${size}`);
        return sendError(reply, 416, "media.range_not_satisfiable", `The attachment has ${size} bytes; ask for a range within them.`);
      }
      reply
        .header("content-type", opened.media.mime)
        .header("content-disposition", contentDisposition(opened.media.mime, opened.media.filename ?? opened.media.id));
      if (range) {
        reply
          .status(206)
          .header("content-range", `bytes ${range.start}-${range.end}/${size}`)
          .header("content-length", range.end - range.start + 1);
      } else {
        reply.header("content-length", size);
      }
      return reply.send(Readable.from(opened.stream(range ?? undefined), { objectMode: false }));
    },
  );
};
