import { inboxStatuses } from "@parley/protocol/values";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError, notFound } from "../../domain/errors.ts";
import { isUuid } from "../../domain/ids.ts";
import type { Inbox } from "../../domain/inboxes/inbox.ts";
import type { Store } from "../../domain/ports.ts";
import type { TenancyUseCases } from "../../domain/tenancy/tenancy.usecases.ts";
import {
  customerReads,
  customerReadsOnPhone,
  sandboxBusinessNumber,
  sandboxChatMessages,
  sandboxChats,
  scanInboxQr,
  senderRevises,
  someoneWrites,
} from "../../providers/whatsapp-web/sandbox/phone.ts";
import type { SimulatedWhatsApp } from "../../providers/whatsapp-web/simulated/network.ts";
import { bearerToken } from "../authentication.ts";

const params = z.object({ inbox_id: z.string() });
const e164 = z
  .string()
  .trim()
  .regex(/^\+\d{8,15}$/, "an E.164 number like +6281234567890");

export interface SandboxRouteOptions {
  store: Store;
  tenancy: TenancyUseCases;
  /** The simulated WhatsApp of this node; absent when the node has none (every call 404s). */
  network: SimulatedWhatsApp | undefined;
}

/**
 * The sandbox phone's API (`/api/v1/sandbox/{inbox_id}/…`), for people trying Parley without a
 * spare phone and for tests: scan the inbox's QR, write as a customer, read the agent's
 * replies. Members of the inbox's workspace only; another workspace's inbox, or an inbox that is
 * not a sandbox, is 404.
 */
export const sandboxRoutes: FastifyPluginAsyncZod<SandboxRouteOptions> = async (app, { store, tenancy, network }) => {
  async function memberInbox(request: FastifyRequest, inboxId: string): Promise<Inbox> {
    const token = bearerToken(request);
    if (!token) throw new DomainError("auth.invalid_token", "Send an Authorization: Bearer <token> header.");
    await tenancy.authenticate(token);
    const found = isUuid(inboxId) ? await store.inboxes.findWithConfig(inboxId) : null;
    if (!found || !network) throw notFound("inboxes");
    // Not a member: the same 404 as no inbox at all, so other tenants' ids reveal nothing.
    await tenancy.authenticateMember(token, found.inbox.workspaceId).catch(() => {
      throw notFound("inboxes");
    });
    return found.inbox;
  }
  const phone = () => ({ store, network: network! });

  app.get(
    "/:inbox_id",
    {
      schema: {
        tags: ["sandbox"],
        summary: "The sandbox phone of an inbox: its own number, and the inbox's name and status",
        params,
        response: { 200: z.object({ inbox_id: z.string(), inbox_name: z.string(), phone_number: z.string(), status: z.enum(inboxStatuses) }) },
      },
    },
    async (request) => {
      const inbox = await memberInbox(request, request.params.inbox_id);
      if (inbox.engine !== "sandbox") throw notFound("inboxes");
      return { inbox_id: inbox.id, inbox_name: inbox.name, phone_number: sandboxBusinessNumber(inbox.id), status: inbox.status };
    },
  );
  app.post(
    "/:inbox_id/scan",
    { schema: { tags: ["sandbox"], summary: "The sandbox phone scans the inbox's QR (links it)", params, response: { 204: z.null() } } },
    async (request, reply) => {
      await scanInboxQr(phone(), await memberInbox(request, request.params.inbox_id));
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/:inbox_id/messages",
    {
      schema: {
        tags: ["sandbox"],
        summary: "A customer writes to the sandbox inbox, or (from its own number, with `to`) the business's owner writes on the phone",
        params,
        body: z
          .object({
            from: e164,
            to: e164.optional(),
            name: z.string().trim().min(1).max(120).optional(),
            body: z.string().trim().min(1).max(4096).optional(),
            /** A group's subject: the message is written in that group (created when needed). */
            group: z.string().trim().min(1).max(100).optional(),
            /** A photo, voice note, document… (base64, within the request size limit); `body` is its caption. */
            attachment: z
              .object({
                type: z.enum(["image", "video", "audio", "voice", "document", "sticker"]),
                mime: z.string().trim().min(3).max(100),
                filename: z.string().trim().min(1).max(200).optional(),
                base64: z.string().min(1),
              })
              .optional(),
          })
          .refine((input) => input.body !== undefined || input.attachment !== undefined, { message: "Send a body, an attachment, or both.", path: ["body"] }),
        response: { 201: z.object({ provider_message_id: z.string() }) },
      },
    },
    async (request, reply) => {
      const inbox = await memberInbox(request, request.params.inbox_id);
      const sent = someoneWrites(phone(), inbox, {
        from: request.body.from,
        to: request.body.to,
        name: request.body.name ?? null,
        body: request.body.body ?? null,
        group: request.body.group,
        attachment: request.body.attachment
          ? {
              type: request.body.attachment.type,
              mime: request.body.attachment.mime,
              filename: request.body.attachment.filename ?? null,
              bytes: new Uint8Array(Buffer.from(request.body.attachment.base64, "base64")),
            }
          : undefined,
      });
      return reply.status(201).send({ provider_message_id: sent.id });
    },
  );
  app.post(
    "/:inbox_id/messages/:provider_message_id/revise",
    {
      schema: {
        tags: ["sandbox"],
        summary: "Its sender edits a message (`body`) or deletes it for everyone (`body: null`)",
        params: params.extend({ provider_message_id: z.string().min(1).max(200) }),
        body: z.object({ body: z.string().trim().min(1).max(4096).nullable() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      senderRevises(phone(), await memberInbox(request, request.params.inbox_id), request.params.provider_message_id, request.body.body);
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/:inbox_id/read",
    {
      schema: {
        tags: ["sandbox"],
        summary: "The customer reads an agent's message on the sandbox phone (blue ticks)",
        params,
        body: z.union([z.object({ message_id: z.string() }), z.object({ provider_message_id: z.string().min(1).max(200), reader: e164 })]),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const inbox = await memberInbox(request, request.params.inbox_id);
      const body = request.body;
      if ("message_id" in body) await customerReads(phone(), inbox, body.message_id);
      else customerReadsOnPhone(phone(), inbox, body.provider_message_id, body.reader);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/:inbox_id/chats",
    {
      schema: {
        tags: ["sandbox"],
        summary: "The chats on the sandbox phone, newest first",
        params,
        response: {
          200: z.object({
            data: z.array(z.object({ jid: z.string(), name: z.string().nullable(), is_group: z.boolean(), last_message_at: z.string().nullable() })),
          }),
        },
      },
    },
    async (request) => ({
      data: sandboxChats(phone(), await memberInbox(request, request.params.inbox_id)).map((chat) => ({
        jid: chat.jid,
        name: chat.name,
        is_group: chat.isGroup,
        last_message_at: chat.lastMessageAt?.toISOString() ?? null,
      })),
    }),
  );
  app.get(
    "/:inbox_id/chats/:jid/messages",
    {
      schema: {
        tags: ["sandbox"],
        summary: "A chat's messages on the sandbox phone, oldest first",
        params: params.extend({ jid: z.string().min(3).max(100) }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                from_business: z.boolean(),
                sender: z.string(),
                sender_name: z.string().nullable(),
                body: z.string().nullable(),
                sent_at: z.string(),
                deleted: z.boolean(),
                edited: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      data: sandboxChatMessages(phone(), await memberInbox(request, request.params.inbox_id), request.params.jid).map((message) => ({
        id: message.id,
        from_business: message.fromBusiness,
        sender: message.sender,
        sender_name: message.senderName,
        body: message.revoked ? null : (message.editedBody ?? message.body),
        sent_at: message.sentAt.toISOString(),
        deleted: message.revoked,
        edited: message.editedBody !== null,
      })),
    }),
  );
};
