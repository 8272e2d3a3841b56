/**
 * Attachment uploads: `POST /api/v1/workspaces/:workspace_id/media` for agents and
 * `POST /api/v1/widget/:widget_key/media` for website visitors. Both take multipart/form-data
 * with one file field named `file` and answer 201 `{id, mime, size, url, filename}`; the `url`
 * is the attachment's capability URL (media.routes.ts) and `id` is what a send references.
 *
 * Bodies are streamed into storage, never buffered whole. The app's BODY_LIMIT_BYTES does not
 * apply here: Fastify enforces it only while it reads a body itself (JSON, text), and the
 * multipart parser hands the raw stream over. The grant's limit (100 MB for agents, 10 MB for
 * visitors) is enforced instead by busboy's `fileSize`, which stops keeping bytes past it and
 * discards the rest of the body; the route then answers 413 `media.too_large`, having stored
 * nothing. JSON bodies sent here keep the app's limit.
 */
import multipart from "@fastify/multipart";
import { finished } from "node:stream/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import { cleanFilename, mediaTooLarge } from "../../domain/media/media.ts";
import type { MediaUseCases, UploadGrant, UploadInput } from "../../domain/media/media.usecases.ts";
import type { MessageMedia } from "../../domain/messages/message.ts";
import type { VisitorSession } from "../../domain/widget/widget.usecases.ts";
import { mediaUrl } from "../../presenters.ts";
import { membershipOf } from "../authentication.ts";

/** What an upload answers. `size` is in bytes; `mime` was read from the bytes where possible. */
const uploadedMediaSchema = z.object({ id: z.string(), mime: z.string(), size: z.number().int(), url: z.string(), filename: z.string().nullable() });

function presentUpload(media: MessageMedia): z.infer<typeof uploadedMediaSchema> {
  return { id: media.id, mime: media.mime, size: media.sizeBytes, url: mediaUrl(media), filename: media.filename };
}

const invalidUpload = (message: string) => new DomainError("request.invalid", message, { field: "file" });

/**
 * Multipart parsing for this plugin's routes only (the JSON API elsewhere keeps answering 415
 * to it), and a parser that leaves any other body unread, so a non-multipart upload gets a
 * 400 that says what to send instead of "send JSON".
 */
async function acceptUploads(scope: FastifyInstance): Promise<void> {
  await scope.register(multipart);
  scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
}

/**
 * The `file` part of a multipart request as an UploadInput whose content fails with
 * `media.too_large` once more than `maxBytes` arrived. Throws 400 `request.invalid` when the
 * request is not multipart, holds no file, or names its file field otherwise.
 */
async function receiveFile(request: FastifyRequest, maxBytes: number): Promise<UploadInput & { settled(): boolean }> {
  if (!request.isMultipart()) throw invalidUpload("Send the attachment as multipart/form-data with one file field named file.");
  let part: Awaited<ReturnType<FastifyRequest["file"]>>;
  try {
    part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 11 }, throwFileSizeLimit: false });
  } catch (error) {
    request.log.debug({ err: error }, "malformed multipart upload");
    throw invalidUpload("The multipart/form-data body is malformed.");
  }
  if (!part) throw invalidUpload("The multipart/form-data body holds no file: send one file field named file.");
  const file = part.file;
  if (part.fieldname !== "file") {
    file.resume();
    await finished(file).catch(() => {});
    throw invalidUpload(`The file field must be named file, not ${JSON.stringify(part.fieldname.slice(0, 50))}.`);
  }
  async function* content(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of file) yield chunk as Buffer;
    } catch (error) {
      request.log.debug({ err: error }, "upload cut off");
      throw invalidUpload("The upload ended before its multipart/form-data body did.");
    }
    // Busboy kept maxBytes and discarded the rest of the body, so the reply can go out now.
    if (file.truncated) throw mediaTooLarge(maxBytes);
  }
  return { content: content(), declaredMime: part.mimetype, filename: cleanFilename(part.filename), settled: () => file.readableEnded };
}

/**
 * Stores the request's file under `grant`. Should it fail before the body was read to its end,
 * the connection is closed after the reply rather than left holding an unread body.
 */
async function storeUpload(media: MediaUseCases, request: FastifyRequest, reply: FastifyReply, grant: UploadGrant): Promise<MessageMedia> {
  const upload = await receiveFile(request, grant.maxBytes);
  try {
    return await media.upload(grant, upload);
  } catch (error) {
    if (!upload.settled()) reply.header("connection", "close");
    throw error;
  }
}

const uploadSchema = {
  tags: ["media"],
  consumes: ["multipart/form-data"],
  response: { 201: uploadedMediaSchema },
} as const;

/** `POST /media` under a workspace: members who may send messages (viewers get 403). */
export const memberUploadRoutes: FastifyPluginAsyncZod<{ params: z.ZodObject<{ workspace_id: z.ZodString }>; media: MediaUseCases }> = async (
  app,
  { params, media },
) => {
  await acceptUploads(app);
  app.post(
    "/media",
    {
      schema: {
        ...uploadSchema,
        summary: "Upload an attachment to send (multipart field `file`, at most 100 MB)",
        params,
        // The inbox it will be sent through; per-provider limits are checked on send.
        querystring: z.object({ inbox_id: z.string().uuid().optional() }),
      },
    },
    async (request, reply) => {
      const grant = await media.authorizeMemberUpload(membershipOf(request), request.query.inbox_id ? { inboxId: request.query.inbox_id } : {});
      return reply.status(201).send(presentUpload(await storeUpload(media, request, reply, grant)));
    },
  );
};

/** `POST /media` in the widget: the visitor of the session, up to 10 MB. */
export const visitorUploadRoutes: FastifyPluginAsyncZod<{
  params: z.ZodObject<{ widget_key: z.ZodString }>;
  media: MediaUseCases;
  visitorOf(request: FastifyRequest): VisitorSession;
}> = async (app, { params, media, visitorOf }) => {
  await acceptUploads(app);
  app.post(
    "/media",
    { schema: { ...uploadSchema, summary: "Upload the visitor's attachment (multipart field `file`, at most 10 MB)", params } },
    async (request, reply) => {
      const grant = media.authorizeVisitorUpload(visitorOf(request));
      return reply.status(201).send(presentUpload(await storeUpload(media, request, reply, grant)));
    },
  );
};
