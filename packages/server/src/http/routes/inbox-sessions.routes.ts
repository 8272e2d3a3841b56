import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { InboxSessionUseCases } from "../../domain/whatsapp-web/inbox-sessions.usecases.ts";
import { membershipOf, requireUuid } from "../authentication.ts";

const params = z.object({ workspace_id: z.string(), inbox_id: z.string() });
const e164 = z
  .string()
  .trim()
  .regex(/^\+\d{8,15}$/, "an E.164 number like +6281234567890");

/** An inbox's lifecycle for owners and admins: delete it, and a WhatsApp Web session's restart, log out, pairing code. */
export const inboxSessionRoutes: FastifyPluginAsyncZod<{ sessions: InboxSessionUseCases }> = async (app, { sessions }) => {
  app.delete(
    "/inboxes/:inbox_id",
    {
      schema: { tags: ["inboxes"], summary: "Delete an inbox with its conversations (a WhatsApp session is logged out)", params, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await sessions.delete(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes"));
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/inboxes/:inbox_id/restart",
    { schema: { tags: ["inboxes"], summary: "Restart a WhatsApp Web inbox's session (after a logout: a new QR)", params, response: { 204: z.null() } } },
    async (request, reply) => {
      await sessions.restart(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes"));
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/inboxes/:inbox_id/logout",
    { schema: { tags: ["inboxes"], summary: "Unlink a WhatsApp Web inbox from its phone", params, response: { 204: z.null() } } },
    async (request, reply) => {
      await sessions.logout(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes"));
      return reply.status(204).send(null);
    },
  );
  app.post(
    "/inboxes/:inbox_id/pairing-code",
    {
      schema: {
        tags: ["inboxes"],
        summary: "Link a WhatsApp Web inbox by phone number: the code to enter on the phone",
        params,
        body: z.object({ phone_number: e164 }),
        response: { 200: z.object({ code: z.string() }) },
      },
    },
    async (request) => ({
      code: await sessions.pairingCode(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes"), request.body.phone_number),
    }),
  );
};
