import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ContactUseCases } from "../../domain/contacts/contacts.usecases.ts";
import { presentContact } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { contactSchema, limitSchema, uuidSchema } from "../schemas.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** A workspace's contacts. */
export const contactRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; contacts: ContactUseCases }> = async (app, { params, contacts }) => {
  app.get(
    "/contacts",
    {
      schema: {
        tags: ["contacts"],
        summary: "Search contacts by name, e-mail or phone (newest first)",
        params,
        querystring: z.object({ q: z.string().max(200).optional(), limit: limitSchema(100, 50), before: uuidSchema.optional() }),
        response: { 200: z.object({ data: z.array(contactSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { q, limit, before } = request.query;
      const found = await contacts.search(membershipOf(request), { limit, ...(q ? { q } : {}), ...(before ? { beforeId: before } : {}) });
      return { data: found.map(presentContact), next_cursor: found.length === limit ? found[found.length - 1]!.id : null };
    },
  );

  app.get(
    "/contacts/:contact_id",
    { schema: { tags: ["contacts"], summary: "One contact", params: params.extend({ contact_id: z.string() }), response: { 200: contactSchema } } },
    async (request) => presentContact(await contacts.get(membershipOf(request), requireUuid(request.params.contact_id, "contacts"))),
  );
};
