import { workspaceSettingsChangeSchema, workspaceSettingsSchema } from "@parley/protocol/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import type { WorkspaceSettingsUseCases } from "../../domain/tenancy/workspace-settings.usecases.ts";
import { presentWorkspaceSettings } from "../../presenters.ts";
import { membershipOf } from "../authentication.ts";

/** `GET/PATCH /settings`: the workspace's country, time zone and opt-out keywords (owners and admins change them). */
export const workspaceSettingsRoutes: FastifyPluginAsyncZod<{
  params: z.ZodObject<{ workspace_id: z.ZodString }>;
  settings: WorkspaceSettingsUseCases;
}> = async (app, { params, settings }) => {
  app.get(
    "/settings",
    { schema: { tags: ["workspaces"], summary: "The workspace's settings", params, response: { 200: workspaceSettingsSchema } } },
    async (request) => presentWorkspaceSettings(await settings.get(membershipOf(request))),
  );

  app.patch(
    "/settings",
    {
      schema: {
        tags: ["workspaces"],
        summary: "Change some of the workspace's settings (owners and admins); an unknown country or time zone answers 422",
        params,
        body: workspaceSettingsChangeSchema,
        response: { 200: workspaceSettingsSchema },
      },
    },
    async (request) => {
      const { country, time_zone, opt_out_keywords, opt_in_keywords, opt_out_reply } = request.body;
      const changed = await settings.update(membershipOf(request), {
        ...(country !== undefined ? { country } : {}),
        ...(time_zone !== undefined ? { timeZone: time_zone } : {}),
        ...(opt_out_keywords !== undefined ? { optOutKeywords: opt_out_keywords } : {}),
        ...(opt_in_keywords !== undefined ? { optInKeywords: opt_in_keywords } : {}),
        ...(opt_out_reply !== undefined ? { optOutReply: opt_out_reply } : {}),
      });
      return presentWorkspaceSettings(changed);
    },
  );
};
