import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { TenancyUseCases } from "../../domain/tenancy/tenancy.usecases.ts";
import { membershipOf } from "../authentication.ts";

const workspaceParams = z.object({ workspace_id: z.string() });
const memberSchema = z.object({ user_id: z.string(), name: z.string(), email: z.string(), role: z.enum(["owner", "admin", "agent", "viewer"]) });

/** Members of a workspace. */
export const memberRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; tenancy: TenancyUseCases }> = async (app, { params, tenancy }) => {
  app.get(
    "/members",
    { schema: { tags: ["members"], summary: "The workspace's members and their roles", params, response: { 200: z.object({ data: z.array(memberSchema) }) } } },
    async (request) => {
      const members = await tenancy.members(membershipOf(request));
      return { data: members.map((m) => ({ user_id: m.user.id, name: m.user.name, email: m.user.email, role: m.role })) };
    },
  );
};
