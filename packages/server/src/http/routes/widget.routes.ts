import { channels, sendMessageRequestSchema } from "@parley/protocol/api";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import { newId } from "../../domain/ids.ts";
import type { MediaUseCases } from "../../domain/media/media.usecases.ts";
import type { VisitorSession, WidgetUseCases } from "../../domain/widget/widget.usecases.ts";
import type { Message } from "../../domain/messages/message.ts";
import { presentContact, presentMessage } from "../../presenters.ts";
import { bearerToken } from "../authentication.ts";
import { limitSchema, messageSchema, uuidSchema, widgetConfigSchema, widgetSessionSchema } from "../schemas.ts";
import { visitorUploadRoutes } from "./uploads.routes.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Set for widget routes that need a visitor session. */
    visitor?: VisitorSession;
  }
}

export interface WidgetRouteDependencies {
  widget: WidgetUseCases;
  /** Attachments the visitor uploads (POST /media). */
  media: MediaUseCases;
  appKey: string;
  /** True when at least one agent of the workspace is connected. */
  agentsOnline(workspaceId: string): Promise<boolean>;
  /** Relays a visitor's typing state to the agents (the HTTP fallback of the client event). */
  relayVisitorTyping(visitor: VisitorSession, isTyping: boolean): Promise<void>;
}

const params = z.object({ widget_key: z.string().max(100) });
const acknowledgeBody = z.object({ up_to_message_id: uuidSchema });

/** The website widget's API under /api/v1/widget/:widget_key, used by a visitor's browser. */
export const widgetRoutes: FastifyPluginAsyncZod<WidgetRouteDependencies> = async (app, dependencies) => {
  const { widget, appKey } = dependencies;
  const presentSession = (visitor: VisitorSession, token?: string) => ({
    ...(token ? { session_token: token } : {}),
    contact: presentContact(visitor.contact),
    conversation: { id: visitor.conversation.id, status: visitor.conversation.status },
    realtime: { app_key: appKey, channel: channels.visitor(visitor.conversation.id), auth_endpoint: "/broadcasting/auth", ws_path: `/app/${appKey}` },
  });

  app.get(
    "/config",
    {
      schema: {
        tags: ["widget"],
        summary: "The widget's appearance and whether agents are online",
        params,
        response: { 200: widgetConfigSchema },
      },
    },
    async (request) => {
      const inbox = await widget.inbox(request.params.widget_key);
      const settings = inbox.widget!;
      return {
        name: inbox.name,
        color: settings.color,
        position: settings.position,
        greeting: settings.greeting,
        locale: settings.locale,
        agents_online: await dependencies.agentsOnline(inbox.workspaceId),
      };
    },
  );

  app.post(
    "/sessions",
    {
      schema: {
        tags: ["widget"],
        summary: "Start a visitor session (returns its token once)",
        params,
        body: z.object({ name: z.string().trim().max(200).optional(), email: z.string().trim().email().max(320).optional() }).default({}),
        response: { 201: widgetSessionSchema },
      },
    },
    async (request, reply) => {
      const started = await widget.startSession(request.params.widget_key, request.body);
      return reply.status(201).send(presentSession(started, started.token));
    },
  );

  app.register(async (plainScope) => {
    const visitorScope = plainScope.withTypeProvider<ZodTypeProvider>();
    visitorScope.addHook("preHandler", async (request) => {
      const token = bearerToken(request);
      if (!token) throw new DomainError("widgets.invalid_session", "Send Authorization: Bearer <session_token>.");
      request.visitor = await widget.authenticate((request.params as { widget_key: string }).widget_key, token);
    });
    const visitorOf = (request: { visitor?: VisitorSession }): VisitorSession => request.visitor!;

    visitorScope.get(
      "/session",
      { schema: { tags: ["widget"], summary: "Resume a visitor session", params, response: { 200: widgetSessionSchema } } },
      async (request) => presentSession(visitorOf(request)),
    );

    visitorScope.get(
      "/messages",
      {
        schema: {
          tags: ["widget"],
          summary: "The visitor's messages, oldest first; `after` is the polling fallback's cursor, `updated_after` catches up on status changes",
          params,
          querystring: z.object({
            after: uuidSchema.optional(),
            before: uuidSchema.optional(),
            updated_after: z.string().datetime({ offset: true }).optional(),
            limit: limitSchema(200, 50),
          }),
          response: { 200: z.object({ data: z.array(messageSchema) }) },
        },
      },
      async (request) => {
        const { after, before, updated_after, limit } = request.query;
        const page = await widget.messages(visitorOf(request), {
          limit,
          ...(after ? { afterId: after } : {}),
          ...(before ? { beforeId: before } : {}),
          ...(updated_after ? { updatedAfter: new Date(updated_after) } : {}),
        });
        return { data: page.map(presentVisitorMessage) };
      },
    );

    visitorScope.post(
      "/messages",
      {
        schema: {
          tags: ["widget"],
          summary: "Send the visitor's message: text, or an uploaded attachment (media_id, body as caption); idempotent on client_message_id",
          params,
          body: sendMessageRequestSchema,
          response: { 200: messageSchema, 201: messageSchema },
        },
      },
      async (request, reply) => {
        const { body, media_id, template, client_message_id } = request.body;
        // Templates reopen a closed WhatsApp window from the business side; a visitor has no use for one.
        if (template) throw new DomainError("messages.invalid_content", "Visitors send text or an attachment, not a template.", { field: "template" });
        const { message, created } = await widget.send(visitorOf(request), {
          content: media_id ? { kind: "media", mediaId: media_id, caption: body ?? null } : { kind: "text", body: body ?? "" },
          clientMessageId: client_message_id ?? newId(),
        });
        return reply.status(created ? 201 : 200).send(presentVisitorMessage(message));
      },
    );

    for (const status of ["delivered", "read"] as const) {
      visitorScope.post(
        `/${status}`,
        {
          schema: {
            tags: ["widget"],
            summary: `The visitor's widget ${status === "read" ? "showed" : "received"} agent messages up to one`,
            params,
            body: acknowledgeBody,
          },
        },
        async (request, reply) => {
          await widget.acknowledge(visitorOf(request), request.body.up_to_message_id, status);
          return reply.status(204).send();
        },
      );
    }

    await visitorScope.register(visitorUploadRoutes, { params, media: dependencies.media, visitorOf });

    visitorScope.post(
      "/typing",
      {
        schema: {
          tags: ["widget"],
          summary: "The visitor is (or stopped) typing; fallback when the socket is down",
          params,
          body: z.object({ is_typing: z.boolean() }),
        },
      },
      async (request, reply) => {
        await dependencies.relayVisitorTyping(visitorOf(request), request.body.is_typing);
        return reply.status(204).send();
      },
    );
  });
};

/** A message as its visitor sees it: what Parley inferred about them (intent, sentiment) is for agents only. */
function presentVisitorMessage(message: Message) {
  return { ...presentMessage(message), enrichment: null };
}
