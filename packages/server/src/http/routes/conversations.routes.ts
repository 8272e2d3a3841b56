import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ConversationUseCases } from "../../domain/conversations/conversations.usecases.ts";
import { newId } from "../../domain/ids.ts";
import { presentConversation, presentGroupParticipant, presentMessage } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { decodeActivityCursor, encodeActivityCursor } from "../cursors.ts";
import { enrichmentCorrectionRequestSchema, sendMessageRequestSchema } from "@parley/protocol/api";
import type { SendContent } from "../../domain/messages/send-message.ts";
import { conversationSchema, conversationStatuses, groupParticipantSchema, limitSchema, messageSchema, uuidSchema } from "../schemas.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** Conversations of a workspace and their messages. */
export const conversationRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; conversations: ConversationUseCases }> = async (
  app,
  { params, conversations },
) => {
  const conversationParams = params.extend({ conversation_id: z.string() });

  app.get(
    "/conversations",
    {
      schema: {
        tags: ["conversations"],
        summary: "Conversations, newest activity first",
        params,
        querystring: z.object({
          limit: limitSchema(100, 25),
          cursor: z.string().max(500).optional(),
          inbox_id: uuidSchema.optional(),
          status: z.enum(conversationStatuses).optional(),
          assignee_id: z.union([uuidSchema, z.literal("none")]).optional(),
          updated_after: z.string().datetime({ offset: true }).optional(),
          q: z.string().trim().max(200).optional(),
          /** Comma-separated label names; a conversation must carry all of them. */
          label: z.string().trim().max(500).optional(),
        }),
        response: { 200: z.object({ data: z.array(conversationSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { limit, cursor, inbox_id, status, assignee_id, updated_after, q, label } = request.query;
      const labels = label
        ? label
            .split(",")
            .map((name) => name.trim())
            .filter((name) => name.length > 0)
        : [];
      const page = await conversations.list(membershipOf(request), {
        limit,
        ...(cursor ? { after: decodeActivityCursor(cursor) } : {}),
        ...(inbox_id ? { inboxId: inbox_id } : {}),
        ...(status ? { status } : {}),
        ...(assignee_id ? { assigneeId: assignee_id === "none" ? null : assignee_id } : {}),
        ...(updated_after ? { updatedAfter: new Date(updated_after) } : {}),
        ...(q ? { q } : {}),
        ...(labels.length > 0 ? { labels } : {}),
      });
      const last = page[page.length - 1];
      return {
        data: page.map((conversation) => presentConversation(conversation)),
        next_cursor: page.length === limit && last ? encodeActivityCursor(last) : null,
      };
    },
  );

  app.get(
    "/conversations/:conversation_id",
    { schema: { tags: ["conversations"], summary: "One conversation", params: conversationParams, response: { 200: conversationSchema } } },
    async (request) => presentConversation(await conversations.get(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"))),
  );

  app.patch(
    "/conversations/:conversation_id",
    {
      schema: {
        tags: ["conversations"],
        summary: "Change status or assignee",
        params: conversationParams,
        body: z.object({ status: z.enum(conversationStatuses).optional(), assignee_id: uuidSchema.nullable().optional() }),
        response: { 200: conversationSchema },
      },
    },
    async (request) => {
      const { status, assignee_id } = request.body;
      const summary = await conversations.update(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"), {
        ...(status ? { status } : {}),
        ...(assignee_id !== undefined ? { assigneeId: assignee_id } : {}),
      });
      return presentConversation(summary);
    },
  );

  app.get(
    "/conversations/:conversation_id/participants",
    {
      schema: {
        tags: ["conversations"],
        summary:
          "A group conversation's members now, admins first (422 `conversations.not_group` for a private conversation); it changes with `conversation.updated`",
        params: conversationParams,
        response: { 200: z.object({ data: z.array(groupParticipantSchema) }) },
      },
    },
    async (request) => {
      const members = await conversations.participants(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"));
      return { data: members.map(presentGroupParticipant) };
    },
  );

  app.get(
    "/conversations/:conversation_id/messages",
    {
      schema: {
        tags: ["messages"],
        summary: "A page of messages, oldest first; `before` pages back in time, `after` forward; `updated_after` lists changes since a time (catch-up)",
        params: conversationParams,
        querystring: z.object({
          before: uuidSchema.optional(),
          after: uuidSchema.optional(),
          updated_after: z.string().datetime({ offset: true }).optional(),
          limit: limitSchema(200, 50),
        }),
        response: { 200: z.object({ data: z.array(messageSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { before, after, updated_after, limit } = request.query;
      const page = await conversations.messages(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"), {
        limit,
        ...(before ? { beforeId: before } : {}),
        ...(after ? { afterId: after } : {}),
        ...(updated_after ? { updatedAfter: new Date(updated_after) } : {}),
      });
      // next_cursor pages further in the direction asked: older for `before`/none, newer for `after`.
      const edge = after ? page[page.length - 1] : page[0];
      return { data: page.map(presentMessage), next_cursor: page.length === limit && edge ? edge.id : null };
    },
  );

  app.post(
    "/conversations/:conversation_id/messages",
    {
      schema: {
        tags: ["messages"],
        summary:
          "Send a reply: text, an uploaded attachment (media_id, body as caption) or an approved template (idempotent on client_message_id: a repeat answers 200 with the first message)",
        params: conversationParams,
        body: sendMessageRequestSchema,
        response: { 200: messageSchema, 201: messageSchema },
      },
    },
    async (request, reply) => {
      const { body, media_id, template, client_message_id, reply_to_id } = request.body;
      const content: SendContent = template
        ? { kind: "template", template }
        : media_id
          ? { kind: "media", mediaId: media_id, caption: body ?? null }
          : { kind: "text", body: body ?? "" };
      const { message, created } = await conversations.send(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"), {
        content,
        clientMessageId: client_message_id ?? newId(),
        replyToId: reply_to_id,
      });
      return reply.status(created ? 201 : 200).send(presentMessage(message));
    },
  );

  app.post(
    "/messages/:message_id/retry",
    {
      schema: {
        tags: ["messages"],
        summary: "Send a failed agent message again",
        params: params.extend({ message_id: z.string() }),
        response: { 200: messageSchema },
      },
    },
    async (request) => presentMessage(await conversations.retry(membershipOf(request), requireUuid(request.params.message_id, "messages"))),
  );

  app.patch(
    "/messages/:message_id/enrichment",
    {
      schema: {
        tags: ["messages"],
        summary: "Correct a customer message's intent and/or sentiment (shown in place of the computed ones; trains the workspace's classifier)",
        params: params.extend({ message_id: z.string() }),
        body: enrichmentCorrectionRequestSchema,
        response: { 200: messageSchema },
      },
    },
    async (request) =>
      presentMessage(
        await conversations.correctEnrichment(membershipOf(request), requireUuid(request.params.message_id, "messages"), {
          ...(request.body.intent ? { intent: request.body.intent } : {}),
          ...(request.body.sentiment ? { sentiment: request.body.sentiment } : {}),
        }),
      ),
  );

  app.post(
    "/conversations/:conversation_id/read",
    { schema: { tags: ["conversations"], summary: "Mark the customer's messages read", params: conversationParams, response: { 200: conversationSchema } } },
    async (request) => presentConversation(await conversations.markRead(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"))),
  );
};
