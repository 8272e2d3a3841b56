import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { MemberUseCases } from "../../domain/tenancy/members.usecases.ts";
import { roles } from "../../domain/tenancy/roles.ts";
import type { TenancyUseCases } from "../../domain/tenancy/tenancy.usecases.ts";
import { presentMember } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { memberSchema } from "../schemas.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** Members of a workspace: list for everyone; add, change role and remove for owners and admins. */
export const memberRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; tenancy: TenancyUseCases; members: MemberUseCases }> = async (
  app,
  { params, tenancy, members },
) => {
  const memberParams = params.extend({ user_id: z.string() });

  app.get(
    "/members",
    { schema: { tags: ["members"], summary: "The workspace's members and their roles", params, response: { 200: z.object({ data: z.array(memberSchema) }) } } },
    async (request) => ({ data: (await tenancy.members(membershipOf(request))).map(presentMember) }),
  );

  app.post(
    "/members",
    {
      schema: {
        tags: ["members"],
        summary: "Add a member by e-mail (name and password create the account when it does not exist)",
        params,
        body: z.object({
          email: z.string().trim().email().max(320),
          role: z.enum(roles),
          name: z.string().trim().min(1).max(200).optional(),
          password: z.string().max(1024).optional(),
        }),
        response: { 201: memberSchema },
      },
    },
    async (request, reply) => reply.status(201).send(presentMember(await members.add(membershipOf(request), request.body))),
  );

  app.patch(
    "/members/:user_id",
    {
      schema: {
        tags: ["members"],
        summary: "Change a member's role",
        params: memberParams,
        body: z.object({ role: z.enum(roles) }),
        response: { 200: memberSchema },
      },
    },
    async (request) => presentMember(await members.changeRole(membershipOf(request), requireUuid(request.params.user_id, "members"), request.body.role)),
  );

  app.delete("/members/:user_id", { schema: { tags: ["members"], summary: "Remove a member", params: memberParams } }, async (request, reply) => {
    await members.remove(membershipOf(request), requireUuid(request.params.user_id, "members"));
    return reply.status(204).send();
  });
};
