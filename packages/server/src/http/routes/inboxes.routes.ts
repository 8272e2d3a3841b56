import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { InboxUseCases } from "../../domain/inboxes/inboxes.usecases.ts";
import { presentInbox } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { inboxProviders, inboxSchema, widgetSettingsRequestSchema } from "../schemas.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** Inboxes of a workspace. */
export const inboxRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; inboxes: InboxUseCases }> = async (app, { params, inboxes }) => {
  app.get(
    "/inboxes",
    { schema: { tags: ["inboxes"], summary: "List the workspace's inboxes", params, response: { 200: z.object({ data: z.array(inboxSchema) }) } } },
    async (request) => ({ data: (await inboxes.list(membershipOf(request))).map(presentInbox) }),
  );

  app.post(
    "/inboxes",
    {
      schema: {
        tags: ["inboxes"],
        summary: "Create an inbox (owners and admins)",
        params,
        body: z.object({
          name: z.string().trim().min(1).max(120),
          provider: z.enum(inboxProviders),
          widget: widgetSettingsRequestSchema.optional(),
        }),
        response: { 201: inboxSchema },
      },
    },
    async (request, reply) => {
      const { widget, ...rest } = request.body;
      const inbox = await inboxes.create(membershipOf(request), { ...rest, ...(widget ? { widget: stripUndefined(widget) } : {}) });
      return reply.status(201).send(presentInbox(inbox));
    },
  );

  app.get(
    "/inboxes/:inbox_id",
    { schema: { tags: ["inboxes"], summary: "One inbox", params: params.extend({ inbox_id: z.string() }), response: { 200: inboxSchema } } },
    async (request) => presentInbox(await inboxes.get(membershipOf(request), requireUuid(request.params.inbox_id, "inboxes"))),
  );
};

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
