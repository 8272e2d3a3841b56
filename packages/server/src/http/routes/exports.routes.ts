import { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { exportFormats } from "../../domain/exports/dataset.ts";
import type { ExportRequest } from "../../domain/exports/exports.usecases.ts";
import type { Membership } from "../../domain/tenancy/tenancy.ts";
import { membershipOf } from "../authentication.ts";
import { uuidSchema } from "../schemas.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** A calendar day (its UTC midnight) or an ISO 8601 date-time with its offset. */
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((text) => new Date(text));

/** Starts an export (see startConversationExport): its lines, or the domain's error before any is sent. */
export type StartExport = (actor: Membership, request: ExportRequest) => Promise<AsyncIterable<string>>;

// Socket writes are awaited past this many buffered bytes, so a slow download slows the reads.
const streamHighWaterMark = 64 * 1024;

/** The training-data export of a workspace's conversations (owners and admins). */
export const exportRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; start: StartExport }> = async (app, { params, start }) => {
  app.get(
    "/exports/conversations.jsonl",
    {
      schema: {
        tags: ["exports"],
        summary: "Conversations as a JSONL training dataset (owners and admins), streamed one line per conversation",
        description:
          "format: native (messages with times, response seconds, sentiment, intent, final status), openai (chat fine-tuning) or sharegpt. " +
          "from/to bound the messages included (to is exclusive); conversations without a message in the range are left out. " +
          "Phone numbers, e-mail addresses and the contact's name are replaced by [PHONE], [EMAIL], [NAME] unless redact=false. " +
          "An inbox_id of another workspace answers 404.",
        params,
        querystring: z.object({
          format: z.enum(exportFormats).default("native"),
          from: instant.optional(),
          to: instant.optional(),
          inbox_id: uuidSchema.optional(),
          redact: z.enum(["true", "false"]).default("true"),
        }),
      },
    },
    async (request, reply) => {
      const { format, from, to, inbox_id, redact } = request.query;
      const lines = await start(membershipOf(request), { format, from, to, inboxId: inbox_id, redact: redact === "true" });
      return reply
        .type("application/x-ndjson; charset=utf-8")
        .header("content-disposition", `attachment; filename="conversations-${format}.jsonl"`)
        .header("cache-control", "no-store")
        .send(Readable.from(lines, { objectMode: false, highWaterMark: streamHighWaterMark }));
    },
  );
};
