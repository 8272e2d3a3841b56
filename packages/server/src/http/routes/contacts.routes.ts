import { contactChangeSchema, contactCreateSchema, contactDetailSchema } from "@parley/protocol/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ContactInput, ContactUseCases } from "../../domain/contacts/contacts.usecases.ts";
import { presentContactDetail } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { limitSchema, uuidSchema } from "../schemas.ts";
import { contactFileRoutes } from "./contact-files.routes.ts";
import { contactFilterOf, contactFilterQuery } from "./contact-filter.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** The domain's input from a create or change body (snake_case to the domain's names). */
function contactInputOf(body: z.infer<typeof contactChangeSchema>): ContactInput {
  return {
    ...(body.phone !== undefined ? { phone: body.phone } : {}),
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.labels !== undefined ? { labels: body.labels } : {}),
    ...(body.custom_attributes !== undefined ? { customAttributes: body.custom_attributes } : {}),
    ...(body.opted_out !== undefined ? { optedOut: body.opted_out } : {}),
  };
}

/** A workspace's contacts: list, one, create, edit; CSV import and export (contact-files.routes.ts). */
export const contactRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; contacts: ContactUseCases }> = async (app, { params, contacts }) => {
  const contactParams = params.extend({ contact_id: z.string() });
  app.get(
    "/contacts",
    {
      schema: {
        tags: ["contacts"],
        summary: "List contacts, newest first: search by name, e-mail or phone, filter by labels (all of them) and opt-out; pages by `before`",
        params,
        // `cursor` (as other lists call it) and `before` both take the previous page's next_cursor.
        querystring: contactFilterQuery.extend({ limit: limitSchema(100, 50), before: uuidSchema.optional(), cursor: uuidSchema.optional() }),
        response: { 200: z.object({ data: z.array(contactDetailSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { limit } = request.query;
      const before = request.query.cursor ?? request.query.before;
      const found = await contacts.search(membershipOf(request), { ...contactFilterOf(request.query), limit, ...(before ? { beforeId: before } : {}) });
      return { data: found.map(presentContactDetail), next_cursor: found.length === limit ? found[found.length - 1]!.id : null };
    },
  );

  app.post(
    "/contacts",
    {
      schema: {
        tags: ["contacts"],
        summary: "Create a contact (agents and up); the phone is read against the workspace's country",
        params,
        body: contactCreateSchema,
        response: { 201: contactDetailSchema },
      },
    },
    async (request, reply) => {
      const contact = await contacts.create(membershipOf(request), { ...contactInputOf(request.body), phone: request.body.phone });
      return reply.status(201).send(presentContactDetail(contact));
    },
  );

  await app.register(contactFileRoutes, { params, contacts });

  app.get(
    "/contacts/:contact_id",
    { schema: { tags: ["contacts"], summary: "One contact", params: contactParams, response: { 200: contactDetailSchema } } },
    async (request) => presentContactDetail(await contacts.get(membershipOf(request), requireUuid(request.params.contact_id, "contacts"))),
  );

  app.patch(
    "/contacts/:contact_id",
    {
      schema: {
        tags: ["contacts"],
        summary: "Edit a contact (agents and up): name, e-mail, phone, labels, custom attributes (replaced whole), opted_out",
        params: contactParams,
        body: contactChangeSchema,
        response: { 200: contactDetailSchema },
      },
    },
    async (request) => {
      const id = requireUuid(request.params.contact_id, "contacts");
      return presentContactDetail(await contacts.update(membershipOf(request), id, contactInputOf(request.body)));
    },
  );
};
