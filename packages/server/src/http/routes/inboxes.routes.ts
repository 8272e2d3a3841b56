import { createInboxRequestSchema, templateSchema, updateInboxRequestSchema } from "@parley/protocol/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { InboxUseCases } from "../../domain/inboxes/inboxes.usecases.ts";
import { presentInbox } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { inboxSchema, stripUndefined } from "../schemas.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** Meta's Graph API base URL, versioned; an inbox may name another (a newer version, or a test fake). */
export const defaultGraphBaseUrl = "https://graph.facebook.com/v25.0";

export interface InboxRouteOptions {
  params: typeof workspaceParams;
  inboxes: InboxUseCases;
  /** The public base URL webhook URLs are built on (PUBLIC_URL); by default the request's own origin. */
  publicUrl?: string | undefined;
}

/** Inboxes of a workspace, and the approved templates of a Cloud API inbox. */
export const inboxRoutes: FastifyPluginAsyncZod<InboxRouteOptions> = async (app, { params, inboxes, publicUrl }) => {
  const baseUrlOf = (request: { protocol: string; host: string }) => publicUrl ?? `${request.protocol}://${request.host}`;

  app.get(
    "/inboxes",
    { schema: { tags: ["inboxes"], summary: "List the workspace's inboxes", params, response: { 200: z.object({ data: z.array(inboxSchema) }) } } },
    async (request) => ({ data: (await inboxes.list(membershipOf(request))).map((inbox) => presentInbox(inbox, baseUrlOf(request))) }),
  );

  app.post(
    "/inboxes",
    {
      schema: {
        tags: ["inboxes"],
        summary: "Create an inbox (owners and admins): a website widget, or a WhatsApp Cloud API number",
        params,
        body: createInboxRequestSchema,
        response: { 201: inboxSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const membership = membershipOf(request);
      const inbox =
        body.provider === "whatsapp_cloud"
          ? await inboxes.create(membership, {
              name: body.name,
              provider: body.provider,
              cloudApi: {
                phoneNumberId: body.config.phone_number_id,
                wabaId: body.config.waba_id ?? null,
                graphBaseUrl: body.config.graph_base_url ?? defaultGraphBaseUrl,
                accessToken: body.config.access_token,
                appSecret: body.config.app_secret,
                verifyToken: body.config.verify_token,
                ...(body.config.messaging_limit === undefined ? {} : { messagingLimit: body.config.messaging_limit }),
              },
            })
          : body.provider === "whatsapp_web"
            ? await inboxes.create(membership, { name: body.name, provider: body.provider, engine: body.config.engine })
            : await inboxes.create(membership, { name: body.name, provider: body.provider, ...(body.widget ? { widget: stripUndefined(body.widget) } : {}) });
      return reply.status(201).send(presentInbox(inbox, baseUrlOf(request)));
    },
  );

  app.get(
    "/inboxes/:inbox_id",
    { schema: { tags: ["inboxes"], summary: "One inbox", params: params.extend({ inbox_id: z.string() }), response: { 200: inboxSchema } } },
    async (request) => presentInbox(await inboxes.get(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes")), baseUrlOf(request)),
  );

  app.patch(
    "/inboxes/:inbox_id",
    {
      schema: {
        tags: ["inboxes"],
        summary:
          "Rename an inbox, make it the primary of its kind (the one replies fail over to), or set a Cloud API number's messaging limit — owners and admins",
        params: params.extend({ inbox_id: z.string() }),
        body: updateInboxRequestSchema,
        response: { 200: inboxSchema },
      },
    },
    async (request) => {
      const { name, is_primary, messaging_limit } = request.body;
      const inbox = await inboxes.update(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes"), {
        ...(name === undefined ? {} : { name }),
        ...(is_primary === undefined ? {} : { isPrimary: is_primary }),
        ...(messaging_limit === undefined ? {} : { messagingLimit: messaging_limit }),
      });
      return presentInbox(inbox, baseUrlOf(request));
    },
  );

  app.get(
    "/inboxes/:inbox_id/templates",
    {
      schema: {
        tags: ["inboxes"],
        summary: "The approved message templates of a WhatsApp Cloud API inbox (cached for a few minutes)",
        params: params.extend({ inbox_id: z.string() }),
        response: { 200: z.object({ data: z.array(templateSchema) }) },
      },
    },
    async (request) => {
      const templates = await inboxes.templates(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes"));
      return {
        data: templates.map((template) => ({
          name: template.name,
          language: template.language,
          status: template.status,
          category: template.category,
          body: template.body,
          variable_count: template.variableCount,
        })),
      };
    },
  );
};
